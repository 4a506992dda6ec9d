/// The ICE role (RFC 8445 §6.1.1): the controlling agent nominates, the
/// controlled one follows. A lite peer is always controlled.
public enum ICERole: String, Hashable, Sendable {
    /// Nominates pairs with USE-CANDIDATE.
    case controlling
    /// Selects the pair the controlling agent nominates.
    case controlled

    /// The other role.
    public var flipped: ICERole {
        self == .controlling ? .controlled : .controlling
    }
}
