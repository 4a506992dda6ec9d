/// What the SIP adapter saw, for counting (`SIPStackSettings/observe`): requests
/// received and responses received, by method, and digest failures and
/// lockouts. Method names come from a fixed set (sofia's event kinds), never
/// from the message, so a hostile peer cannot grow the label set.
public enum SIPTrafficEvent: Sendable, Equatable {
    /// A request arrived (`INVITE`, `REGISTER`, `BYE`, …; `other` for extension methods).
    case request(method: String)
    /// A final or provisional response to one of wagate's requests arrived.
    case response(method: String, status: Int)
    /// A wrong digest response for a known user or trunk.
    case authFailure
    /// A lockout started (`source` address or `user`).
    case lockout(scope: String)

    /// The response class label of `status`: `1xx` … `6xx`, else `other`.
    public static func statusClass(_ status: Int) -> String {
        (100...699).contains(status) ? "\(status / 100)xx" : "other"
    }
}
