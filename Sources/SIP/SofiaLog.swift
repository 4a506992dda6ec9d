// Sofia-SIP's log through swift-log. Without this, sofia printed to stderr
// directly, which broke `log_format = json` (a line no shipper could parse).
// With `sip_trace = yes` tport also traces every SIP message; each becomes one
// log event (`SIP recv ...`) with the message masked (SIPTraceMasking) in the
// `sip_message` field and its Call-ID as `sip_call_id`, rate-limited so a flood
// cannot flood the log: what the limit drops is counted on the next event.

import CSofiaShims
import Foundation
import Logging
import Synchronization

/// The receiver of sofia's log lines (one per process: su_log is global).
final class SofiaLog: Sendable {
    /// Traced messages a second, and the burst allowed above that.
    static let traceRate = 50.0, traceBurst = 200.0
    /// Plain sofia lines a second, and the burst.
    static let lineRate = 10.0, lineBurst = 50.0

    private struct State {
        var assembler = SofiaTraceAssembler()
        var traces: TokenBucket
        var lines: TokenBucket
        var dropped = 0
    }

    private let logger: Logger
    private let state: Mutex<State>
    private static let installed = Mutex<SofiaLog?>(nil)

    private init(logger: Logger) {
        var logger = logger
        logger[metadataKey: "component"] = "sofia"
        self.logger = logger
        let now = Self.now()
        state = Mutex(State(traces: TokenBucket(burst: Self.traceBurst, now: now),
                            lines: TokenBucket(burst: Self.lineBurst, now: now)))
    }

    /// Sends sofia's log to `logger` from now on (the first logger stays for the process).
    static func install(logger: Logger) {
        installed.withLock { current in
            guard current == nil else { return }
            let sink = SofiaLog(logger: logger)
            current = sink
            sofia_log_redirect({ context, bytes, length in
                guard let context, let bytes else { return }
                let line = String(decoding: UnsafeRawBufferPointer(start: bytes, count: length), as: UTF8.self)
                Unmanaged<SofiaLog>.fromOpaque(context).takeUnretainedValue().receive(line)
            }, Unmanaged.passRetained(sink).toOpaque())
        }
    }

    /// One line from sofia.
    func receive(_ line: String) {
        let now = Self.now()
        let event: (output: SofiaLogOutput, dropped: Int)? = state.withLock { state in
            guard let output = state.assembler.feed(line) else { return nil }
            let refused: Int?
            switch output {
            case .plain: refused = state.lines.take(rate: Self.lineRate, burst: Self.lineBurst, now: now)
            case .message: refused = state.traces.take(rate: Self.traceRate, burst: Self.traceBurst, now: now)
            }
            if refused != nil {
                state.dropped += 1
                return nil
            }
            defer { state.dropped = 0 }
            return (output, state.dropped)
        }
        guard let event else { return }
        var metadata: Logger.Metadata = [:]
        if event.dropped > 0 { metadata["log_dropped"] = "\(event.dropped)" }
        switch event.output {
        case .plain(let text):
            logger.info("\(SIPTraceMasking.mask(lines: [text])[0])", metadata: metadata)
        case .message(let summary, let lines, let truncated):
            let masked = SIPTraceMasking.mask(lines: lines)
            if let callID = Self.callID(masked) { metadata["sip_call_id"] = .string(callID) }
            if truncated { metadata["truncated"] = "yes" }
            metadata["sip_message"] = .string(masked.joined(separator: "\n"))
            logger.info("SIP \(summary)", metadata: metadata)
        }
    }

    /// The Call-ID (or compact `i:`) header's value, if the message has one.
    static func callID(_ lines: [String]) -> String? {
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            if name == "call-id" || name == "i" {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            if line.isEmpty { break }
        }
        return nil
    }

    private static func now() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }
}
