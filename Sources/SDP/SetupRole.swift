/// `a=setup` (RFC 4145 §4, RFC 8842 §5): which side opens the DTLS (or TCP)
/// connection.
public enum SetupRole: String, Hashable, Sendable, CaseIterable {
    /// The writer initiates: it is the DTLS client.
    case active
    /// The writer accepts: it is the DTLS server.
    case passive
    /// Offer only: the writer can be either; the answerer picks.
    case actpass
    /// No connection now.
    case holdconn

    /// The role to answer with when the offer carries `self` and we prefer `preferred`
    /// (RFC 8842 §5.3): `actpass` lets us choose; `active` forces `passive` and vice versa.
    /// - Parameter preferred: `.active` or `.passive`.
    public func answerRole(preferring preferred: SetupRole) -> SetupRole {
        switch self {
        case .actpass: return preferred == .passive ? .passive : .active
        case .active: return .passive
        case .passive: return .active
        case .holdconn: return .holdconn
        }
    }

    /// Whether the writer of this role is the DTLS client, given the peer's role;
    /// `nil` when undecided (both `actpass`, or `holdconn`).
    /// - Parameter peer: the other side's `a=setup`.
    public func isDTLSClient(peer: SetupRole) -> Bool? {
        switch (self, peer) {
        case (.active, _): return true
        case (.passive, _): return false
        case (.actpass, .active): return false
        case (.actpass, .passive): return true
        default: return nil
        }
    }

    /// The attribute `a=setup:<role>`.
    public var attribute: SDPAttribute {
        SDPAttribute("setup", rawValue)
    }
}
