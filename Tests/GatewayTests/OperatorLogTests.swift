// The operator's log: one JSON object per line with safe escaping, and one
// setup and one end line per call carrying the call's CDR columns.

import CallControl
import Foundation
import Logging
import Store
import Testing
@testable import Gateway

/// Lines a handler wrote, for inspection.
private final class LineBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ line: String) { lock.withLock { stored.append(line) } }
    var lines: [String] { lock.withLock { stored } }
}

/// Messages and metadata a logger got.
struct CapturingHandler: LogHandler {
    let box: EventBox
    var logLevel: Logger.Level = .trace
    var metadata = Logger.Metadata()
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) { box.append(event.message.description, event.metadata ?? [:]) }
}

/// What a ``CapturingHandler`` captured.
final class EventBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [(message: String, metadata: Logger.Metadata)] = []
    func append(_ message: String, _ metadata: Logger.Metadata) { lock.withLock { stored.append((message, metadata)) } }
    var events: [(message: String, metadata: Logger.Metadata)] { lock.withLock { stored } }
}

@Suite("Gateway: operator log lines")
struct OperatorLogTests {
    let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test("a JSON line is one parseable object: hostile text escaped, metadata as fields, reserved names kept")
    func jsonLine() throws {
        let box = LineBox()
        let logger = Logger(label: "wagate") { label in JSONLogHandler(label: label, sink: { box.append($0) }) }
        let hostile = "evil\"\n{\"level\":\"critical\"}\\\u{0}\u{1B}[31m\u{2028}é"
        logger.warning("display \(hostile)", metadata: ["call_id": "wg-1", "level": "forged", "from": .string(hostile),
                                                      "codecs": ["sip": "PCMU", "whatsapp": "opus"]])
        let lines = box.lines
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        #expect(line.hasSuffix("}\n") && line.dropLast().allSatisfy { $0 != "\n" })
        #expect(!line.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" } && !line.contains("\u{2028}"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["level"] as? String == "warning")
        #expect(object["meta_level"] as? String == "forged")
        #expect(object["msg"] as? String == "display \(hostile)")
        #expect(object["from"] as? String == hostile)
        #expect(object["call_id"] as? String == "wg-1")
        #expect((object["codecs"] as? [String: String]) == ["sip": "PCMU", "whatsapp": "opus"])
        #expect(object["logger"] as? String == "wagate")
        let stamp = try #require(object["ts"] as? String)
        #expect(stamp.count == 24 && stamp.hasSuffix("Z"))
    }

    @Test("the timestamp is RFC 3339 UTC with milliseconds")
    func timestamp() {
        #expect(JSONText.timestamp(Date(timeIntervalSince1970: 1_800_000_000.25)) == "2027-01-15T08:00:00.250Z")
    }

    @Test("one setup line and one end line per call; the end line is the stored CDR row")
    func callLines() async throws {
        let events = EventBox()
        let logger = Logger(label: "calls") { _ in CapturingHandler(box: events) }
        let store = try await GatewayStore.open(.init(location: .memory), logger: quiet)
        let records = StoreCallRecords(store: store, logger: quiet)
        let log = CallSummaryLog(records: records, store: store, logger: logger)
        let call = CallID("wg-7"), t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let context = CallLogContext(callID: call, sipCallID: "sip-7")
        let start = CallStart(direction: .outbound, from: "user:alice", to: "+14085551234", sipCallID: "sip-7",
                              number: WhatsAppNumberID("1001"))
        await log.record(.started(start), call: call, at: t0, context: context)
        await log.record(.linkedWhatsApp(WACID("wacid.X")), call: call, at: t0, context: context)
        await log.record(.answered, call: call, at: t0.addingTimeInterval(1.5), context: context)
        // The bridge's figures land through the same actor (`recordMedia`).
        var row = try #require(await records.current(call))
        row.sipCodec = "PCMU"
        row.whatsappCodec = "opus"
        await records.save(row)
        let ending = CallEnding(reason: .normal, endedBy: .whatsApp)
        let full = CallLogContext(callID: call, wacid: WACID("wacid.X"), sipCallID: "sip-7")
        await log.record(.ended(ending), call: call, at: t0.addingTimeInterval(61.5), context: full)

        let lines = events.events
        #expect(lines.map(\.message) == ["call setup", "call ended"])
        let setup = lines[0].metadata
        #expect(setup["call_id"] == "wg-7" && setup["sip_call_id"] == "sip-7" && setup["direction"] == "outbound")
        #expect(setup["caller"] == "user:alice" && setup["callee"] == "+14085551234" && setup["phone_number_id"] == "1001")
        let end = lines[1].metadata
        #expect(end["call_id"] == "wg-7" && end["wacid"] == "wacid.X" && end["sip_call_id"] == "sip-7")
        #expect(end["sip_codec"] == "PCMU" && end["whatsapp_codec"] == "opus")
        #expect(end["cause"] == "normal" && end["ended_by"] == "whatsapp" && end["end_reason"] == "normal")
        #expect(end["duration_s"] == "60.0" && end["setup_s"] == "1.500")
        #expect(end["caller"] == "user:alice" && end["phone_number_id"] == "1001")
        try await store.close()
    }
}
