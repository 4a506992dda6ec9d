import AsyncHTTPClient
import CallControl
import Config
import Foundation
import Logging
import Prometheus
import ServiceLifecycle
import WhatsAppCloud

/// The start-up calling health check: asks Meta about every business number in
/// the background (SIP serves meanwhile), logs each finding once with the
/// number, and shows the result as metrics. Then it logs and counts Meta's
/// `account_update` / `account_settings_update` webhooks; an
/// `account_settings_update` for a number checks that number again.
struct WhatsAppHealthService: Service, CustomStringConvertible {
    var description: String { "WhatsAppHealthService" }
    /// The configuration at start.
    let config: GatewayConfig
    let httpClient: HTTPClient
    /// The gateway's Graph client of each number; a number without one gets its own.
    let graphs: GraphClients
    let events: AsyncStream<WebhookEvent>
    let metrics: WhatsAppHealthMetrics
    let logger: Logger
    /// The configuration in force after reloads (numbers, calling settings); nil: `config`.
    var current: ConfigSnapshot? = nil

    /// The configuration to check against now.
    private var live: GatewayConfig { current?.value ?? config }

    /// Attempts at reading a number when Meta (or the simulator still starting) cannot be reached.
    static let attempts = 3

    func run() async throws {
        // A shutdown during the first check (Meta slow or unreachable) cancels it.
        var logged = await cancelWhenGracefulShutdown { await self.checkAll() }
        for await event in events.cancelOnGracefulShutdown() {
            guard case .account(let account) = event else { continue }
            let target = live.settingsTargets().first { target in
                account.phoneNumberID == target.phoneNumberID
                    || account.phoneNumber.map { target.matches($0) } == true
            }
            let number = target?.name ?? "unknown"
            metrics.record(account, number: number)
            logger.notice("whatsapp account webhook", metadata: [
                "webhook_field": "\(account.field)", "account_event": "\(account.event ?? "-")", "number": "\(number)",
                "waba_id": "\(account.wabaID ?? "-")", "detail": "\(account.detail)",
            ])
            if let target, account.field == "account_settings_update" {
                logged[target.name] = await check(target, logged: logged[target.name, default: []])
            }
        }
    }

    private func checkAll() async -> [String: Set<String>] {
        var logged: [String: Set<String>] = [:]
        for target in live.settingsTargets() { logged[target.name] = await check(target, logged: []) }
        return logged
    }

    /// Checks one number; logs only findings whose codes are not in `logged`, and
    /// returns the codes logged so far.
    private func check(_ target: WhatsAppNumberTarget, logged: Set<String>) async -> Set<String> {
        let client = graphs[WhatsAppNumberID(target.phoneNumberID)]
            ?? WhatsAppNumberInspector.client(for: target, config: live, httpClient: httpClient, logger: logger)
        var report = await WhatsAppNumberInspector.inspect(target, config: live, client: client)
        var attempt = 1
        while attempt < Self.attempts, case .transport? = report.facts.settingsError {
            try? await Task.sleep(for: .seconds(attempt))
            if Task.isCancelled { return logged }
            report = await WhatsAppNumberInspector.inspect(target, config: live, client: client)
            attempt += 1
        }
        metrics.record(report)
        var seen = logged
        for finding in report.findings where seen.insert(finding.code).inserted {
            let metadata: Logger.Metadata = ["number": "\(target.name)", "finding": "\(finding.code)",
                                             "severity": "\(finding.severity.rawValue)"]
            switch finding.severity {
            case .critical: logger.error("whatsapp calling health: \(finding.message)", metadata: metadata)
            case .warning: logger.warning("whatsapp calling health: \(finding.message)", metadata: metadata)
            case .info: logger.info("whatsapp calling health: \(finding.message)", metadata: metadata)
            }
        }
        if !report.differences.isEmpty {
            logger.notice("whatsapp calling settings differ from sip.conf (wagate whatsapp apply)", metadata: [
                "number": "\(target.name)", "differences": "\(report.differences.map(\.description).joined(separator: "; "))",
            ])
        }
        let critical = report.findings.filter { $0.severity == .critical }.count
        logger.info("whatsapp calling health checked", metadata: [
            "number": "\(target.name)", "findings": "\(report.findings.count)", "critical": "\(critical)",
        ])
        return seen
    }
}
