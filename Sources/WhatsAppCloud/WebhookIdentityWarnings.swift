import Foundation
import Logging
import NIOConcurrencyHelpers

/// Logs the user identifiers a webhook carried in a shape Meta never sends (a
/// BSUID that is not `CC.alphanumerics`, a username with spaces, a phone number
/// with letters): they were dropped by the decoder and are never trusted into a
/// SIP header or a Graph request. Rate-limited: one line per field per
/// ``interval``, with the number of drops it stood for, so a hostile sender
/// cannot flood the log.
final class WebhookIdentityWarnings: Sendable {
    private struct Window {
        var loggedAt: Date
        var suppressed: Int
    }

    /// The shortest time between two lines about the same field.
    let interval: TimeInterval
    private let windows = NIOLockedValueBox<[String: Window]>([:])

    /// Creates the log with one line per field per `interval` seconds.
    init(interval: TimeInterval = 60) { self.interval = interval }

    /// Logs the dropped identifier fields of `events`, rate-limited.
    func report(_ events: [WebhookEvent], logger: Logger, now: Date) {
        for event in events {
            for field in event.user?.rejected ?? [] {
                guard let suppressed = admit(field, now: now) else { continue }
                logger.warning("webhook user identifier dropped: wrong shape", metadata: [
                    "wacid": "\(event.callID ?? "-")", "webhook.field": "\(field)",
                    "webhook.suppressed": "\(suppressed)",
                ])
            }
        }
    }

    /// The drops suppressed since the last line when a line is due now, else nil.
    private func admit(_ field: String, now: Date) -> Int? {
        windows.withLockedValue { windows in
            if let window = windows[field], now.timeIntervalSince(window.loggedAt) < interval {
                windows[field]?.suppressed += 1
                return nil
            }
            let suppressed = windows[field]?.suppressed ?? 0
            // The fields are Meta's names, a fixed handful: the table stays small.
            windows[field] = Window(loggedAt: now, suppressed: 0)
            return suppressed
        }
    }
}

extension WebhookEvent {
    /// The WhatsApp user the event names, if it names one.
    public var user: WebhookUser? {
        switch self {
        case .callConnect(let event): event.user
        case .callTerminate(let event): event.user
        case .callStatus(let event): event.recipient
        case .permissionReply(let event): event.user
        case .userMessage(let event): event.user
        case .errors, .account, .callArtifact: nil
        }
    }
}
