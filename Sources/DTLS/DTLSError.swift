import COpenSSL

/// The one error type of the `DTLS` module: what failed, and why, in words a
/// call log can show (OpenSSL's own error text is appended where there is one).
public struct DTLSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What part of DTLS failed.
    public enum Kind: Sendable, Hashable {
        /// The self-signed certificate or its key could not be made.
        case certificate
        /// The `SSL_CTX` or `SSL` could not be set up.
        case setup
        /// The endpoint was configured wrongly (e.g. no remote fingerprint).
        case configuration
        /// The handshake failed: a fatal alert from the peer, a protocol error,
        /// or no SRTP profile in common.
        case handshake
        /// The peer's certificate does not match any `a=fingerprint` of its SDP.
        case fingerprintMismatch
        /// The handshake did not finish in time (retransmissions exhausted).
        case timeout
        /// RFC 5764 §4.2 key export failed.
        case keyExport
    }

    /// What part failed.
    public var kind: Kind
    /// A human-readable reason.
    public var reason: String

    /// Creates an error.
    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }

    /// `kind: reason`.
    public var description: String {
        "DTLS \(kind): \(reason)"
    }

    /// An error whose reason ends with OpenSSL's queued errors (drained).
    /// Thread: OpenSSL's error queue is per thread; call on the thread that failed.
    static func openSSL(_ kind: Kind, _ what: String) -> DTLSError {
        let detail = drainOpenSSLErrors()
        return DTLSError(kind, detail.isEmpty ? what : "\(what): \(detail)")
    }

    /// Pops every queued OpenSSL error of this thread into one line.
    static func drainOpenSSLErrors() -> String {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var text = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &text, text.count)
            let bytes = text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            messages.append(String(decoding: bytes, as: UTF8.self))
        }
        return messages.joined(separator: "; ")
    }
}
