import Foundation
import Logging
import Testing
@testable import WhatsAppCloud

/// Collects log lines, for checking what is logged and how often.
private final class CollectedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [(message: String, metadata: Logger.Metadata)] = []

    func append(_ message: String, _ metadata: Logger.Metadata) {
        lock.withLock { stored.append((message, metadata)) }
    }

    var lines: [(message: String, metadata: Logger.Metadata)] { lock.withLock { stored } }

    var logger: Logger {
        Logger(label: "test") { _ in CollectingHandler(lines: self) }
    }

    private struct CollectingHandler: LogHandler {
        let lines: CollectedLines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            lines.append("\(event.message)", event.metadata ?? [:])
        }
    }
}

@Suite struct WebhookIdentityWarningTests {
    @Test func oneLinePerFieldPerIntervalWithTheCountItStoodFor() {
        var hostile = WebhookUser()
        hostile.rejected = ["from_user_id"]
        let event = WebhookEvent.callConnect(CallConnectEvent(callID: "wacid.H", direction: .userInitiated, user: hostile))
        let collected = CollectedLines()
        let warnings = WebhookIdentityWarnings(interval: 60)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        for second in 0..<100 {
            warnings.report([event], logger: collected.logger, now: start.addingTimeInterval(Double(second) * 0.5))
        }
        #expect(collected.lines.count == 1)
        warnings.report([event], logger: collected.logger, now: start.addingTimeInterval(61))
        #expect(collected.lines.count == 2)
        #expect(collected.lines.last?.metadata["webhook.suppressed"] == "99")
        #expect(collected.lines.last?.metadata["webhook.field"] == "from_user_id")
    }
}
