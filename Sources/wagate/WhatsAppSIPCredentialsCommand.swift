import ArgumentParser
import Config
import Foundation
import Gateway
import WhatsAppCloud

/// `wagate whatsapp sip-credentials [--number NAME] [--show-password]`: the
/// digest user name and password Meta holds for each SIP-mode number
/// (`GET /{id}/settings?include_sip_credentials=true`), so an operator can put
/// the password into the environment variable `sip_password = ${VAR}` reads.
/// In sandbox mode it asks the simulator of a running `wagate run`.
struct WhatsAppSIPCredentialsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sip-credentials",
        abstract: "Show the SIP user name and password Meta holds for each SIP-mode number (masked by default).")

    @Option(name: .shortAndLong, help: "Path to sip.conf. Without it, the sandbox defaults (a running `wagate run`).")
    var config: String?

    @Option(name: .long, help: "Only this number: its section name, business number or phone number id.")
    var number: String?

    @Flag(name: .long, help: "Print the password itself instead of a mask.")
    var showPassword = false

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let logger = global.bootstrapLogging()
        let loaded = try ConfigFileLoading.load(config)
        let numbers = try chosenNumbers(loaded)
        let lines = try await WhatsAppTargetOptions.withHTTPClient { http in
            var lines: [(String, failed: Bool)] = []
            for (number, target) in numbers {
                let client = WhatsAppNumberInspector.client(for: target, config: loaded, httpClient: http, logger: logger)
                do {
                    let credentials = try await client.sipCredentials()
                    lines.append((render(number, credentials: credentials, config: loaded), false))
                } catch {
                    var text = "number \(number.name) \(number.businessNumber): Meta's SIP credentials could not be read: \(error)"
                    if case .transport? = error as? WhatsAppCloudError {
                        text += "\n  hint: \(WhatsAppTargetOptions.unreachableHint(loaded))"
                    }
                    lines.append((text, true))
                }
            }
            return lines
        }
        for line in lines { print(line.0) }
        if lines.contains(where: \.failed) { throw ExitCode(1) }
    }

    /// The SIP-mode numbers asked for, each with its Graph target, or a usage
    /// error naming the SIP-mode numbers there are.
    private func chosenNumbers(_ config: GatewayConfig) throws -> [(NumberConfig, WhatsAppNumberTarget)] {
        let targets = config.settingsTargets()
        let all = config.metaSIPNumbers.compactMap { number in
            targets.first { $0.phoneNumberID == number.phoneNumberID }.map { (number, $0) }
        }
        guard !all.isEmpty else {
            throw ValidationError("no number has signaling = sip in the configuration")
        }
        guard let number else { return all }
        let chosen = all.filter { $0.1.matches(number) }
        guard !chosen.isEmpty else {
            throw ValidationError("no SIP-mode number '\(number)'; SIP-mode numbers: "
                + all.map(\.1.label).joined(separator: ", "))
        }
        return chosen
    }

    /// The lines for one number: user name, password (masked unless asked), the servers.
    private func render(_ number: NumberConfig, credentials: SIPCredentials, config: GatewayConfig) -> String {
        let sip = number.metaSIP
        let password = credentials.password(appID: config.settingsAppID, domain: sip?.domain ?? "")
        var lines = ["number \(number.name) \(number.businessNumber) (phone number id \(number.phoneNumberID))"]
        func row(_ label: String, _ value: String) { lines.append("  " + label.padding(toLength: 11, withPad: " ", startingAt: 0) + value) }
        row("SIP:", credentials.status ?? "-")
        row("servers:", credentials.servers.isEmpty ? "none"
            : credentials.servers.map { "\($0.hostname) (app \($0.appID ?? "-"))" }.joined(separator: ", "))
        row("username:", sip?.username ?? number.businessNumberDigits)
        switch (password, showPassword) {
        case (nil, _): row("password:", "none for '\(sip?.domain ?? "")' or this app")
        case (let password?, true): row("password:", password)
        case (_?, false): row("password:", "******** (--show-password prints it)")
        }
        return lines.joined(separator: "\n")
    }
}
