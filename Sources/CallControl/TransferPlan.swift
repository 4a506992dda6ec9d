// What call control decides about a transfer: where it rings, how it is
// recorded, and what happens when nobody answers.

public import Config

/// Blind (the transferor hangs up at once) or attended (the new call replaces a consultation).
public enum TransferKind: String, Sendable, Equatable {
    /// REFER without Replaces, or a browser's `transfer {to}`.
    case blind
    /// REFER with Replaces, or a browser's `transfer {replaces}`.
    case attended
}

/// What call control looks up to place a transfer.
public enum TransferLookup: Sendable, Equatable {
    /// The target the transferring party asked for.
    case request(TransferRequest)
    /// A fallback target: the transferor, or `[transfer] fallback`'s target;
    /// `requestUser` is the Request-URI user on a trunk (the original caller behind it).
    case fallback(InboundTarget, requestUser: String?)
}

/// Where a transfer rings, resolved by call control from a ``TransferLookup``.
public struct TransferPlan: Sendable, Equatable {
    /// The ring stages (a sequential group has several), as for inbound calls.
    public var stages: [RingStage]
    /// The target as recorded (`user:bob`, `group:sales`, `trunk:pbx`).
    public var label: String
    /// A trunk's Request-URI user (an extension behind `extension_trunk`).
    public var requestUser: String?
    /// Attended: the dialog the INVITE replaces.
    public var replaces: SIPReplacesTarget?
    /// The owner keys (``Admission/ownerKey(_:)``) of every target, counted against `max_calls`.
    public var owners: Set<String>
    /// The target itself (a later `return` fallback rings it again); nil for a consultation's far end.
    public var target: InboundTarget?
    /// The business number the WhatsApp call is on (a trunk's Request-URI user when it has no `dial`).
    public var calledNumber: String?

    /// Creates a plan.
    public init(stages: [RingStage], label: String, requestUser: String? = nil, replaces: SIPReplacesTarget? = nil,
                owners: Set<String> = []) {
        self.stages = stages
        self.label = label
        self.requestUser = requestUser
        self.replaces = replaces
        self.owners = owners
    }
}

/// How a transfer ended, for the CDR.
public enum TransferOutcome: String, Sendable, Equatable {
    /// The target is being called.
    case pending
    /// The target answered.
    case answered
    /// The target did not answer; the transferor took the call back.
    case returned
    /// The target did not answer; the fallback target answered.
    case fallback
    /// The transfer failed (refused target, failed attended INVITE, no answer anywhere).
    case failed
}

/// One transfer of a call, as the CDR keeps it (one row per transfer, updated as it progresses).
public struct TransferRecord: Sendable, Equatable {
    /// 1 for the call's first transfer, 2 for the next.
    public var seq: Int
    /// Blind or attended.
    public var kind: TransferKind
    /// The user who transferred, when known.
    public var by: String?
    /// The target asked for (`user:bob`), or what was asked when it did not resolve.
    public var target: String
    /// Where it stands.
    public var outcome: TransferOutcome
    /// Who took the call (a target label: `user:bob`), once someone did.
    public var answeredBy: String?
    /// The SIP status a failed transfer reported to the transferor.
    public var status: Int?

    /// Creates a record.
    public init(seq: Int, kind: TransferKind, by: String?, target: String, outcome: TransferOutcome = .pending,
                answeredBy: String? = nil, status: Int? = nil) {
        self.seq = seq
        self.kind = kind
        self.by = by
        self.target = target
        self.outcome = outcome
        self.answeredBy = answeredBy
        self.status = status
    }
}
