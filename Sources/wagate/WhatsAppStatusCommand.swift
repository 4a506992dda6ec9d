import ArgumentParser
import Config
import Foundation
import Gateway
import WhatsAppCloud

/// `wagate whatsapp status [NUMBER]`: what Meta has for each number, what
/// differs from sip.conf, and what would break calls (exit status 1 then).
struct WhatsAppStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show Meta's calling settings, subscriptions and restrictions per number; exit 1 if calls would fail.")

    @OptionGroup var target: WhatsAppTargetOptions
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let logger = global.bootstrapLogging()
        let (config, targets) = try target.load()
        let reports = try await WhatsAppTargetOptions.withHTTPClient { http in
            var reports: [NumberSettingsReport] = []
            for number in targets {
                let client = WhatsAppNumberInspector.client(for: number, config: config, httpClient: http, logger: logger)
                reports.append(await WhatsAppNumberInspector.inspect(number, config: config, client: client))
            }
            return reports
        }
        for report in reports {
            print(Self.render(report, appID: config.settingsAppID))
            if case .transport? = report.facts.settingsError { print("  hint: \(WhatsAppTargetOptions.unreachableHint(config))") }
        }
        if reports.contains(where: \.breaksCalls) { throw ExitCode(1) }
    }

    /// The report as indented lines.
    static func render(_ report: NumberSettingsReport, appID: String?) -> String {
        let target = report.target
        var lines = ["number \(target.label) (phone number id \(target.phoneNumberID), WABA \(target.wabaID ?? "not configured"))"]
        func row(_ label: String, _ value: String) { lines.append("  " + label.padding(toLength: 21, withPad: " ", startingAt: 0) + value) }
        if let settings = report.facts.settings {
            row("calling:", settings.status ?? "-")
            row("call hours:", CallingSettingsText.hours(settings.callHours))
            row("callback permission:", settings.callbackPermissionStatus ?? "-")
            row("call icon:", (settings.callIconVisibility ?? "-")
                + " (countries: \(CallingSettingsText.list(settings.callIcons?.restrictToUserCountries)))")
            row("SIP:", (settings.sip?.status ?? "-") + (settings.sip?.servers?.isEmpty == false
                ? " (\(settings.sip?.servers?.map(\.hostname).joined(separator: ", ") ?? ""))" : ""))
            row("codecs:", (["OPUS"] + (settings.audio?.additionalCodecs ?? [])).joined(separator: ", "))
            row("srtp key exchange:", settings.srtpKeyExchangeProtocol ?? "-")
            row("restrictions:", CallingSettingsText.restrictions(settings.restrictions))
        }
        row("subscriptions:", subscriptions(report.facts, appID: appID))
        row("sip.conf differs:", report.differences.isEmpty ? (report.facts.settings == nil ? "unknown" : "no") : "yes")
        for difference in report.differences { lines.append("    \(difference)") }
        lines.append(report.findings.isEmpty ? "  findings: none" : "  findings:")
        for finding in report.findings { lines.append("    \(finding)") }
        return lines.joined(separator: "\n")
    }

    private static func subscriptions(_ facts: CallingHealthFacts, appID: String?) -> String {
        func word(_ value: Bool?) -> String { value.map { $0 ? "yes" : "NO" } ?? "unknown" }
        var parts = ["calls \(word(facts.isSubscribed(to: "calls")))", "messages \(word(facts.isSubscribed(to: "messages")))"]
        parts.append("app \(appID ?? "?") on WABA \(word(facts.appReceivesWABA))")
        return parts.joined(separator: ", ")
    }
}
