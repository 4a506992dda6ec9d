/// The one error type of the `SRTP` module. Setup errors carry a sentence;
/// packet errors carry a static reason (no allocation) and are also counted in
/// `SRTPStats`, so the packet path need not log them.
public struct SRTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What failed.
    public enum Kind: Sendable, Hashable {
        /// `srtp_init` or `srtp_create` failed.
        case setup
        /// A key or salt has the wrong length for the profile, or the suite is unknown.
        case invalidKey
        /// The packet's authentication tag did not verify (RFC 3711 §3.4).
        case authenticationFailed
        /// The packet index was already seen or is too old (RFC 3711 §3.3.2).
        case replayed
        /// The buffer has no room for the trailer, or the packet is too short.
        case invalidPacket
        /// libsrtp refused the packet for another reason (see `status`).
        case rejected
    }

    /// What failed.
    public var kind: Kind
    /// Why, for humans.
    public var reason: String
    /// libsrtp's `srtp_err_status_t` value, 0 when not from libsrtp.
    public var status: UInt32

    /// Creates an error.
    public init(_ kind: Kind, _ reason: String, status: UInt32 = 0) {
        self.kind = kind
        self.reason = reason
        self.status = status
    }

    /// `kind: reason (status)`.
    public var description: String {
        status == 0 ? "SRTP \(kind): \(reason)" : "SRTP \(kind): \(reason) (libsrtp status \(status))"
    }
}
