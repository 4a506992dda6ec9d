/// What the SIP adapter saw, for counting (`SIPStackSettings/observe`): requests
/// and responses in both directions, by method, and digest failures and
/// lockouts. Method names come from a fixed set (sofia's event kinds and
/// wagate's own commands), never from the message, so a hostile peer cannot
/// grow the label set.
///
/// Each message is counted once, where sofia hands it to wagate or wagate hands
/// it to sofia: retransmissions (the transaction layer's resends of a request
/// or final response, and retransmitted requests it absorbs) are not counted,
/// as with Kamailio's `rcv_requests`/`sent_replies` core statistics. Responses
/// nua sends itself (100 Trying to an INVITE, 200 to BYE, CANCEL and OPTIONS,
/// 487 to a cancelled INVITE) are counted as sent; the 405 it gives a method
/// outside `Allow` before any event reaches wagate is not.
public enum SIPTrafficEvent: Sendable, Equatable {
    /// A request arrived (`in`) or was sent (`out`): `INVITE`, `REGISTER`, `BYE`, …; `other` for extension methods.
    case request(method: String, direction: SIPTrafficDirection)
    /// A response arrived to one of wagate's requests (`in`) or was sent to a peer's request (`out`).
    case response(method: String, status: Int, direction: SIPTrafficDirection)
    /// A wrong digest response for a known user or trunk.
    case authFailure
    /// A lockout started (`source` address or `user`).
    case lockout(scope: String)

    /// The response class label of `status`: `1xx` … `6xx`, else `other`.
    public static func statusClass(_ status: Int) -> String {
        (100...699).contains(status) ? "\(status / 100)xx" : "other"
    }
}

/// Which way a counted SIP message went, seen from wagate.
public enum SIPTrafficDirection: String, Sendable, CaseIterable {
    /// Received from a peer.
    case `in`
    /// Sent to a peer.
    case out
}
