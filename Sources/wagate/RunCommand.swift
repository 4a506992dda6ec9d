import ArgumentParser
import Config
import Foundation
import Gateway

/// `wagate run`: start the gateway. Without `--config`, the built-in sandbox
/// defaults are used (documented at the top of sip.conf.example).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the gateway (sandbox mode with the built-in Meta simulator when no credentials are configured)."
    )

    @Option(name: .shortAndLong, help: "Path to sip.conf. Without it, sandbox defaults are used.")
    var config: String?

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        // The file is read first so its log_format applies to every line; its
        // problems go to stderr as FILE:LINE text either way.
        let loaded = try ConfigFileLoading.load(config)
        let logger = global.bootstrapLogging(configured: loaded.general.logging.format)
        switch GraphVersionCheck.verdict(for: loaded, on: Date()) {
        case .fine: break
        case .warning(let text): logger.warning("\(text)")
        case .refusal(let text):
            FileHandle.standardError.write(Data("\(config ?? "sandbox defaults"): \(text)\n".utf8))
            throw ExitCode(1)
        }
        let ready: GatewayConfig
        do {
            ready = try await MetaSIPStart.prepare(loaded, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("\(config ?? "sandbox defaults"): \(error)\n".utf8))
            throw ExitCode(1)
        }
        try await Gateway(config: ready, logger: logger).run()
    }
}
