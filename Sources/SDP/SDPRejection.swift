/// Why a remote SDP cannot be accepted, worded for a SIP `488 Not Acceptable Here`
/// with a `Warning` header (RFC 3261 §20.43, §21.4.26).
public struct SDPRejection: Error, Hashable, Sendable, CustomStringConvertible {
    /// The reason, independent of wording.
    public enum Reason: String, Hashable, Sendable {
        /// The SDP did not parse.
        case invalidSDP
        /// No usable audio `m=` line.
        case noAudioStream
        /// No codec in common.
        case noCommonCodec
        /// The transport profile (e.g. DTLS-SRTP, TCP) is not supported.
        case unsupportedTransport
        /// Plain RTP was offered but our policy requires SRTP.
        case srtpRequired
        /// RTP/SAVP was offered without an acceptable `a=crypto`, or SRTP is disabled.
        case srtpNotAcceptable
        /// The stream has no `c=` address.
        case missingConnection
        /// The `c=` address is a host name (or not an IP literal): never resolved.
        case hostNameConnection
        /// The peer rejected our offer's audio stream (port 0 in its answer).
        case rejectedByPeer
        /// A per-call input was missing (e.g. no local SDES key).
        case localConfiguration
    }

    /// The reason.
    public var reason: Reason
    /// A human-readable explanation, safe to put in a Warning header.
    public var text: String

    /// Creates a rejection.
    public init(_ reason: Reason, _ text: String) {
        self.reason = reason
        self.text = text
    }

    /// The RFC 3261 §20.43 warning code that fits the reason.
    public var warningCode: Int {
        switch reason {
        case .noAudioStream, .rejectedByPeer: return 304
        case .noCommonCodec: return 305
        case .unsupportedTransport, .srtpRequired, .srtpNotAcceptable: return 302
        case .missingConnection, .hostNameConnection: return 301
        case .invalidSDP: return 399
        case .localConfiguration: return 399
        }
    }

    /// The SIP status code to answer an INVITE with: 488 (RFC 3264 §6; 500 for local faults).
    public var sipStatus: Int {
        reason == .localConfiguration ? 500 : 488
    }

    /// A Warning header value: `305 gw.example.com "No common codec …"`.
    /// - Parameter agent: our host name or pseudonym (the warn-agent).
    public func warningHeaderValue(agent: String) -> String {
        let quoted = text.replacingQuotes()
        return "\(warningCode) \(agent) \"\(quoted)\""
    }

    /// `text`, prefixed with the warning code.
    public var description: String {
        "\(warningCode) \(text)"
    }
}

/// Quoting for Warning header text.
extension String {
    /// The text with `"` and `\` replaced by `'` and `/`, safe inside a quoted-string.
    fileprivate func replacingQuotes() -> String {
        String(map { character in
            switch character {
            case "\"": return "'"
            case "\\": return "/"
            case "\r", "\n": return " "
            default: return character
            }
        })
    }
}
