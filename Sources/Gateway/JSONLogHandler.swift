// `log_format = json`: one JSON object per line, for log shippers (Vector,
// Promtail, Filebeat, journald's JSON export) that would otherwise have to
// parse swift-log's text line. The message, level, label and UTC timestamp are
// fixed fields; every metadata key (`call_id`, `wacid`, `sip_call_id`, ...)
// becomes a top-level field, the way Kamailio's `log_engine_type=json` and
// rtpengine's JSON logging name their fields.

import Foundation
public import Logging

/// A swift-log handler that writes each event as one line of JSON.
public struct JSONLogHandler: LogHandler {
    /// The fixed fields; metadata with one of these names is written as `meta_NAME`
    /// so it can never replace the message or the level.
    static let reservedKeys: Set<String> = ["ts", "level", "logger", "msg", "source"]

    /// Where finished lines go (each call gets one complete line, newline included).
    public typealias Sink = @Sendable (String) -> Void

    /// The handler's label (`logger` field).
    public let label: String
    /// The lowest level written.
    public var logLevel: Logger.Level = .info
    /// Metadata attached to this handler (merged under each event's own).
    public var metadata = Logger.Metadata()
    private let sink: Sink

    /// A handler writing to `sink`.
    public init(label: String, sink: @escaping Sink) {
        self.label = label
        self.sink = sink
    }

    /// A handler writing to standard error with one `write(2)` per line, so
    /// lines from different threads never interleave.
    public static func standardError(label: String) -> JSONLogHandler {
        JSONLogHandler(label: label) { line in
            var bytes = Array(line.utf8)
            bytes.withUnsafeMutableBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(2, buffer.baseAddress! + offset, buffer.count - offset)
                    if written <= 0 { break }
                    offset += written
                }
            }
        }
    }

    /// Metadata of this handler by key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one event as one line.
    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = LoggingSystem.metadataProvider?.get() {
            merged.merge(provided) { _, new in new }
        }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        sink(Self.line(event: event, label: label, metadata: merged, at: Date()))
    }

    /// The JSON line of one event (keys in a fixed order, then metadata sorted by key).
    static func line(event: LogEvent, label: String, metadata: Logger.Metadata, at date: Date) -> String {
        var out = "{\"ts\":"
        JSONText.appendString(JSONText.timestamp(date), to: &out)
        out += ",\"level\":"
        JSONText.appendString(event.level.rawValue, to: &out)
        out += ",\"logger\":"
        JSONText.appendString(label, to: &out)
        out += ",\"msg\":"
        JSONText.appendString(event.message.description, to: &out)
        out += ",\"source\":"
        JSONText.appendString(event.source, to: &out)
        for key in metadata.keys.sorted() {
            guard let value = metadata[key] else { continue }
            out += ","
            JSONText.appendString(reservedKeys.contains(key) ? "meta_\(key)" : key, to: &out)
            out += ":"
            JSONText.appendValue(value, to: &out)
        }
        out += "}\n"
        return out
    }
}
