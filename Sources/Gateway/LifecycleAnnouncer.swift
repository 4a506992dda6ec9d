import Config
import Logging
import ServiceLifecycle

/// Logs what the gateway was started with and when it stops, so an operator can
/// see in one place which mode, listeners and limits are in force. Secrets are
/// `Secret` values and print as asterisks.
struct LifecycleAnnouncer: Service, CustomStringConvertible {
    var description: String { "LifecycleAnnouncer" }
    let config: GatewayConfig
    let logger: Logger

    func run() async throws {
        logger.info("wagate started", metadata: [
            "version": "\(WagateVersion.string)",
            "mode": "\(config.whatsapp.mode)",
            "config": "\(config.sourceFile ?? "built-in sandbox defaults")",
            "sip_listen": "\(config.general.listeners.map { "\($0)" }.joined(separator: ","))",
            "http_listen": "\(config.http.listen)",
            "users": "\(config.users.count)",
            "trunks": "\(config.trunks.count)",
            "numbers": "\(config.numbers.map { "\($0.name)=\($0.businessNumber)" }.joined(separator: ","))",
        ])
        // Wait for SIGTERM/SIGINT; cancellation also ends the wait.
        try? await gracefulShutdown()
        logger.info("wagate stopped")
    }
}
