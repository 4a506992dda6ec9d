// Value types of call transfer and of a business side's media state, shared by
// the SIP adapter (REFER, Replaces), the agent adapter (browser `transfer`,
// `hold`, `mute`), the media adapter and call control.

/// A request to move the business side of an answered call elsewhere: a REFER
/// from a desk phone or PBX (RFC 3515), or a browser agent's `transfer`.
public struct TransferRequest: Sendable, Equatable {
    /// Where the call goes: the Refer-To URI's user part, or what the agent typed
    /// (a user, a group, an extension). Nil when `replaces` names a local dialog.
    public var target: String?
    /// Attended transfer: the dialog the new call replaces (RFC 3891).
    public var replaces: TransferReplaces?
    /// The user who asked for the transfer, when the leg belongs to a user.
    public var referredBy: String?

    /// Creates a request.
    public init(target: String?, replaces: TransferReplaces? = nil, referredBy: String? = nil) {
        self.target = target
        self.replaces = replaces
        self.referredBy = referredBy
    }

    /// True for an attended transfer (the new call replaces a consultation).
    public var isAttended: Bool { replaces != nil }
}

/// The consultation an attended transfer replaces.
public enum TransferReplaces: Sendable, Equatable {
    /// A leg of another call wagate carries (the consultation went through wagate).
    case leg(SIPLegID)
    /// A `Replaces` header value naming a dialog wagate is not part of (the
    /// consultation went through a PBX): copied as is into the new INVITE.
    case remote(String)
}

/// What an outgoing INVITE replaces (RFC 3891): the adapter renders it as a
/// `Replaces` header and adds `Require: replaces`.
public enum SIPReplacesTarget: Sendable, Equatable {
    /// The dialog of a leg wagate carries, seen from that leg's far end.
    case dialogOf(SIPLegID)
    /// A header value copied from a REFER's Refer-To.
    case value(String)
}

/// What the WhatsApp user hears while the call has no business side (a transfer
/// target ringing, an agent on hold).
public enum BusinessFiller: String, Sendable, Equatable {
    /// Ringback tone.
    case ringback
    /// Silence (comfort: Meta's leg keeps receiving packets).
    case silence
    /// The configured hold music, or silence when none is configured.
    case music
}

/// Hold and mute of a business side that does not renegotiate SDP (a browser).
public struct BusinessMediaState: Sendable, Equatable {
    /// The agent holds the call: nothing is forwarded either way, Meta's leg gets the filler.
    public var held: Bool
    /// The agent's audio is replaced by silence.
    public var muted: Bool

    /// Creates a state.
    public init(held: Bool = false, muted: Bool = false) {
        self.held = held
        self.muted = muted
    }
}
