/// A session description (RFC 8866 §5): the session-level fields in their
/// canonical order followed by zero or more media descriptions.
///
/// The model is faithful: every field and attribute the parser accepts is kept,
/// attributes stay in their original order, and unknown attributes survive, so
/// `SessionDescription(parsing: x).serialized()` reproduces any well-formed,
/// canonically ordered `x` byte for byte (with CRLF line ends).
///
/// ```
/// v=  (protocol version)          c=* (connection information)
/// o=  (originator and session id) b=* (zero or more bandwidth lines)
/// s=  (session name)              t=  r=* (time description, repeats)
/// i=* u=* e=* p=*                 z=* k=* a=* (zone, key, attributes)
/// ```
public struct SessionDescription: Hashable, Sendable {
    /// `v=`: the protocol version; always 0 (RFC 8866 §5.1).
    public var version: Int
    /// `o=`: originator and session identifier (RFC 8866 §5.2).
    public var origin: Origin
    /// `s=`: the session name; `-` when there is nothing better (RFC 8866 §5.3).
    public var sessionName: String
    /// `i=`: session information (RFC 8866 §5.4).
    public var information: String?
    /// `u=`: a URI (RFC 8866 §5.5).
    public var uri: String?
    /// `e=` lines (RFC 8866 §5.6).
    public var emails: [String]
    /// `p=` lines (RFC 8866 §5.6).
    public var phones: [String]
    /// `c=` at session level (RFC 8866 §5.7).
    public var connection: Connection?
    /// `b=` lines at session level (RFC 8866 §5.8).
    public var bandwidths: [Bandwidth]
    /// `t=` lines, each with its `r=` repeats (RFC 8866 §5.9, §5.10).
    public var timings: [Timing]
    /// `z=`: time zone adjustments, kept verbatim (RFC 8866 §5.11).
    public var timeZones: String?
    /// `k=`: obsolete encryption key, kept verbatim (RFC 8866 §5.12).
    public var encryptionKey: String?
    /// Session-level `a=` lines in their original order (RFC 8866 §5.13).
    public var attributes: [SDPAttribute]
    /// The media descriptions, each starting at an `m=` line (RFC 8866 §5.14).
    public var media: [MediaDescription]

    /// Creates a session description; `t=0 0` is used when `timings` is not given.
    /// - Parameters:
    ///   - origin: the `o=` field.
    ///   - sessionName: the `s=` field (`-` by default).
    ///   - connection: the session-level `c=` field.
    ///   - bandwidths: session-level `b=` lines.
    ///   - timings: `t=` lines; a single unbounded `t=0 0` by default.
    ///   - attributes: session-level attributes in order.
    ///   - media: the media descriptions.
    public init(
        origin: Origin,
        sessionName: String = "-",
        connection: Connection? = nil,
        bandwidths: [Bandwidth] = [],
        timings: [Timing] = [Timing()],
        attributes: [SDPAttribute] = [],
        media: [MediaDescription] = []
    ) {
        self.version = 0
        self.origin = origin
        self.sessionName = sessionName
        self.information = nil
        self.uri = nil
        self.emails = []
        self.phones = []
        self.connection = connection
        self.bandwidths = bandwidths
        self.timings = timings
        self.timeZones = nil
        self.encryptionKey = nil
        self.attributes = attributes
        self.media = media
    }

    /// Parses a session description from bytes (UTF-8; CRLF or bare LF line ends).
    /// - Parameter bytes: the SDP body, e.g. a SIP message payload.
    /// - Throws: `SDPError` with the line number and reason of the first problem.
    public init(parsing bytes: some Collection<UInt8>) throws(SDPError) {
        self = try SDPParser().parse(bytes)
    }

    /// Parses a session description from a string (CRLF or bare LF line ends).
    /// - Parameter text: the SDP body.
    /// - Throws: `SDPError` with the line number and reason of the first problem.
    public init(parsing text: String) throws(SDPError) {
        self = try SDPParser().parse(Array(text.utf8))
    }

    /// The first audio media description, if any.
    public var firstAudio: MediaDescription? {
        media.first { $0.kind == "audio" }
    }

    /// Index of the first audio media description, if any.
    public var firstAudioIndex: Int? {
        media.firstIndex { $0.kind == "audio" }
    }
}
