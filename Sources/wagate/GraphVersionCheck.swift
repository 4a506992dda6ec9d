import Config
import Foundation

/// What `check-config` and `run` say about the configured Graph API version on
/// a given day: nothing, a warning (expiry within 90 days, or a version newer
/// than wagate's table), or a refusal (Meta has retired it, so every Graph
/// request would fail).
enum GraphVersionCheck {
    /// The outcome for one configuration and day.
    enum Verdict: Equatable {
        case fine
        case warning(String)
        case refusal(String)
    }

    /// The verdict for `config`'s `graph_version` on `date`.
    static func verdict(for config: GatewayConfig, on date: Date) -> Verdict {
        let text = config.whatsapp.graphVersion
        guard let version = GraphVersion(text) else { return .refusal("graph_version '\(text)' is not a Graph API version") }
        let current = GraphVersion.current
        switch version.lifetime(at: date) {
        case .supported:
            return .fine
        case .expiresSoon(let day):
            let days = Int(day.timeIntervalSince(date) / 86_400)
            return .warning("graph_version \(version) expires on \(Self.format(day)) (in \(days) days); "
                + "Graph requests fail from that day: set graph_version = \(current) in [whatsapp]")
        case .expired(let day):
            let when = day.map { " on \(Self.format($0))" } ?? ""
            return .refusal("graph_version \(version) was retired by Meta\(when) and every Graph request would fail; "
                + "set graph_version = \(current) in [whatsapp]")
        case .unlisted:
            return .warning("graph_version \(version) is not in wagate's table of Meta's versions "
                + "(newest known: \(current)); Graph requests may fail")
        }
    }

    private static func format(_ day: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: day)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}
