import ArgumentParser
import AsyncHTTPClient
import Config
import Foundation
import Gateway
import Logging

/// `wagate whatsapp status|apply|sip-credentials`: Meta's calling settings of the
/// business numbers, compared with sip.conf, and SIP-mode numbers' credentials.
/// In sandbox mode they talk to the simulator of a running `wagate run` (at
/// `simulator_listen`); they start nothing.
struct WhatsAppCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatsapp", abstract: "Show or push the WhatsApp calling settings of the business numbers.",
        subcommands: [WhatsAppStatusCommand.self, WhatsAppApplyCommand.self, WhatsAppSIPCredentialsCommand.self])
}

/// The options and set-up `status` and `apply` share.
struct WhatsAppTargetOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Path to sip.conf. Without it, the sandbox defaults (a running `wagate run`).")
    var config: String?

    @Argument(help: "The number to look at: its section name, business number or phone number id. Default: every number.")
    var number: String?

    /// The loaded configuration and the numbers selected, or exit 1 with the problem on stderr.
    func load() throws -> (GatewayConfig, [WhatsAppNumberTarget]) {
        let loaded = try ConfigFileLoading.load(config)
        let all = loaded.settingsTargets()
        guard let number else { return (loaded, all) }
        let chosen = all.filter { $0.matches(number) }
        guard !chosen.isEmpty else {
            throw ValidationError("no business number '\(number)' in the configuration; known: "
                + all.map(\.label).joined(separator: ", "))
        }
        return (loaded, chosen)
    }

    /// Runs `body` with an HTTP client that is shut down afterwards.
    static func withHTTPClient<T>(_ body: (HTTPClient) async throws -> T) async throws -> T {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// The hint printed when Meta (or the sandbox simulator) cannot be reached.
    static func unreachableHint(_ config: GatewayConfig) -> String {
        config.whatsapp.mode == .sandbox
            ? "the sandbox simulator at \(WhatsAppNumberInspector.baseURL(config)) does not answer: start `wagate run` first"
            : "Meta's Graph API at \(config.whatsapp.graphURL) could not be reached"
    }
}
