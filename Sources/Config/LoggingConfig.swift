// How the gateway writes its log: plain text lines for a terminal or
// journald, or one JSON object per line for a log shipper (Loki, Elastic,
// Vector), and whether SIP messages are traced.

/// The shape of each log line (`[general] log_format`).
public enum LogFormat: String, Sendable, Equatable, CaseIterable {
    /// swift-log's text line: timestamp, level, label, metadata, message.
    case text
    /// One JSON object per line; metadata keys become top-level fields.
    case json
}

/// Log settings from `[general]`.
public struct LoggingConfig: Sendable, Equatable {
    /// `log_format`: text (default) or json.
    public var format: LogFormat
    /// `sip_trace`: log every SIP message sent and received (credentials and
    /// SDP keys masked). Off by default: a busy trunk makes a lot of lines.
    public var sipTrace: Bool

    /// Creates a value; the defaults are text lines without SIP tracing.
    public init(format: LogFormat = .text, sipTrace: Bool = false) {
        self.format = format
        self.sipTrace = sipTrace
    }
}
