/// One media description: an `m=` line and the `i=`, `c=`, `b=`, `k=` and `a=`
/// lines that follow it (RFC 8866 §5.14).
///
/// ```
/// m=<media> <port>[/<number of ports>] <proto> <fmt> ...
/// ```
public struct MediaDescription: Hashable, Sendable {
    /// The media type: `audio`, `video`, `application`, …
    public var kind: String
    /// The transport port; 0 rejects or disables the stream (RFC 3264 §6).
    public var port: Int
    /// The optional `/<number of ports>` suffix.
    public var portCount: Int?
    /// The transport protocol: `RTP/AVP`, `RTP/SAVP`, `UDP/TLS/RTP/SAVPF`, …
    public var proto: String
    /// The formats: RTP payload type numbers for RTP protocols.
    public var formats: [String]
    /// `i=`: media title.
    public var information: String?
    /// `c=` lines at media level (several only for multicast).
    public var connections: [SessionDescription.Connection]
    /// `b=` lines at media level.
    public var bandwidths: [SessionDescription.Bandwidth]
    /// `k=`: obsolete, kept verbatim.
    public var encryptionKey: String?
    /// Media-level `a=` lines in their original order.
    public var attributes: [SDPAttribute]

    /// Creates a media description.
    /// - Parameters:
    ///   - kind: the media type (`audio` by default).
    ///   - port: the transport port.
    ///   - proto: the transport protocol.
    ///   - formats: the payload types or formats.
    ///   - connection: an optional media-level `c=` line.
    ///   - attributes: the attributes in order.
    public init(
        kind: String = "audio",
        port: Int,
        proto: String,
        formats: [String],
        connection: SessionDescription.Connection? = nil,
        attributes: [SDPAttribute] = []
    ) {
        self.kind = kind
        self.port = port
        self.portCount = nil
        self.proto = proto
        self.formats = formats
        self.information = nil
        self.connections = connection.map { [$0] } ?? []
        self.bandwidths = []
        self.encryptionKey = nil
        self.attributes = attributes
    }

    /// The `m=` field as it appears after `m=`.
    public var fieldValue: String {
        var text = kind + " " + String(port)
        if let portCount {
            text += "/" + String(portCount)
        }
        text += " " + proto
        for format in formats {
            text += " " + format
        }
        return text
    }

    /// The formats that are valid RTP payload type numbers (0–127), in order.
    public var payloadTypes: [UInt8] {
        formats.compactMap { format in
            guard let value = UInt8(format), value < 128 else { return nil }
            return value
        }
    }

    /// Whether the stream is rejected or disabled (`port` 0, RFC 3264 §6).
    public var isRejected: Bool {
        port == 0
    }

    /// The media-level `c=` line, else the session-level one (RFC 8866 §5.7).
    /// - Parameter session: the description this media belongs to.
    public func effectiveConnection(in session: SessionDescription) -> SessionDescription.Connection? {
        connections.first ?? session.connection
    }

    /// Whether `proto` carries RTP (anything ending in `RTP/AVP`, `RTP/SAVP`, `…F`).
    public var isRTP: Bool {
        proto.uppercased().contains("RTP/")
    }

    /// Whether `proto` is SRTP keyed by SDES (`RTP/SAVP` or `RTP/SAVPF` without `UDP/TLS`).
    public var isSDESProfile: Bool {
        let upper = proto.uppercased()
        return (upper == "RTP/SAVP" || upper == "RTP/SAVPF")
    }

    /// Whether `proto` is DTLS-SRTP (`UDP/TLS/RTP/SAVP[F]`, RFC 5764 §8).
    public var isDTLSProfile: Bool {
        proto.uppercased().hasPrefix("UDP/TLS/RTP/SAVP")
    }

    /// A copy of this stream answered as rejected: port 0, same formats, no attributes
    /// (RFC 3264 §6: "the answer MUST contain a corresponding m= line with port zero").
    public func rejected() -> MediaDescription {
        var copy = MediaDescription(kind: kind, port: 0, proto: proto, formats: formats.isEmpty ? ["0"] : formats)
        copy.portCount = nil
        return copy
    }
}
