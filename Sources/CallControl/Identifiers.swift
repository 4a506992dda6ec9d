// Identifiers of a call and of its two legs, and the log context that carries
// them on every action (`call_id`, `wacid`, `sip_call_id`).

/// The gateway's own id of one call, stable across both legs (`call_id` in logs).
///
/// It is also sent to Meta as `biz_opaque_callback_data` on `connect`, so a
/// webhook that overtakes the connect response can still be matched to its call.
public struct CallID: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// The text form, e.g. `wg-000042`.
    public var rawValue: String

    /// Wraps an id.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// The text form.
    public var description: String { rawValue }

    /// Orders by text (ids of one run sort by creation).
    public static func < (lhs: CallID, rhs: CallID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Meta's id of a WhatsApp call (`wacid.…`).
public struct WACID: Hashable, Sendable, CustomStringConvertible {
    /// The text form as Meta sends it.
    public var rawValue: String

    /// Wraps an id.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// The text form.
    public var description: String { rawValue }
}

/// A business phone number's id in the Graph API (`phone_number_id`): which
/// of the business's WhatsApp numbers a call uses.
public struct WhatsAppNumberID: Hashable, Sendable, CustomStringConvertible {
    /// The digits as Meta writes them.
    public var rawValue: String

    /// Wraps an id.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// The text form.
    public var description: String { rawValue }
}

/// One SIP leg as the SIP layer knows it: an incoming INVITE's server dialog,
/// or an outgoing INVITE (with its forks) that call control placed.
///
/// Ids of incoming INVITEs are chosen by the SIP adapter; ids of outgoing calls
/// are chosen by call control (`wg-000042/leg1`) and passed in ``OutgoingSIPCall``.
public struct SIPLegID: Hashable, Sendable, CustomStringConvertible {
    /// The text form.
    public var rawValue: String

    /// Wraps an id.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// The text form.
    public var description: String { rawValue }
}

/// The ids one call is logged with: every port call receives one.
public struct CallLogContext: Sendable, Equatable {
    /// The gateway's call id (`call_id`).
    public var callID: CallID
    /// Meta's id, once known (`wacid`).
    public var wacid: WACID?
    /// The SIP `Call-ID` of the leg concerned, once known (`sip_call_id`).
    public var sipCallID: String?

    /// Creates a context.
    public init(callID: CallID, wacid: WACID? = nil, sipCallID: String? = nil) {
        self.callID = callID
        self.wacid = wacid
        self.sipCallID = sipCallID
    }

    /// The context as swift-log style metadata keys and values.
    public var fields: [(key: String, value: String)] {
        var fields = [(key: "call_id", value: callID.rawValue)]
        if let wacid { fields.append((key: "wacid", value: wacid.rawValue)) }
        if let sipCallID { fields.append((key: "sip_call_id", value: sipCallID)) }
        return fields
    }
}

/// Which way a call goes.
public enum BridgeDirection: String, Sendable, Equatable, CaseIterable {
    /// SIP → WhatsApp: a phone or trunk calls a WhatsApp user (business-initiated).
    case outbound
    /// WhatsApp → SIP: a WhatsApp user calls the business (user-initiated).
    case inbound
    /// The echo test: a phone calls `echo_extension` and hears itself; no WhatsApp leg.
    case echo
    /// A callback: a caller refused for lack of permission is called back, once
    /// the WhatsApp user grants it, and connected to that user (business-initiated).
    case callback
    /// An internal call: a user dialled another user or a ring group by name
    /// (a consultation before an attended transfer); no WhatsApp leg.
    case `internal`
}

/// Who did something to a call: the SIP side, the WhatsApp side, or the gateway itself.
public enum CallParty: String, Sendable, Equatable, CaseIterable {
    /// The SIP phone, PBX or trunk.
    case sip
    /// The WhatsApp user or Meta.
    case whatsApp = "whatsapp"
    /// wagate (timeouts, limits, errors, shutdown).
    case gateway
}
