// One transfer of a call as stored in `call_transfers`.

public import Foundation

/// A transfer of a call: who asked, where it went, how it ended.
public struct CallTransferRow: Sendable, Equatable, Codable {
    /// The call (`calls.call_id`).
    public var callID: String
    /// 1 for the call's first transfer.
    public var seq: Int
    /// `blind` or `attended`.
    public var kind: String
    /// The user who transferred, when known.
    public var byUser: String?
    /// The target (`user:bob`, `group:sales`, `trunk:pbx/2001`), or what was asked when it did not resolve.
    public var target: String
    /// When it was asked for.
    public var startedAt: Date
    /// `pending`, `answered`, `returned`, `fallback` or `failed`.
    public var outcome: String
    /// Who took the call, once someone did.
    public var answeredBy: String?
    /// The SIP status reported to the transferor when it failed.
    public var sipStatus: Int?

    /// Creates a row.
    public init(callID: String, seq: Int, kind: String, byUser: String?, target: String, startedAt: Date,
                outcome: String, answeredBy: String? = nil, sipStatus: Int? = nil) {
        self.callID = callID
        self.seq = seq
        self.kind = kind
        self.byUser = byUser
        self.target = target
        self.startedAt = startedAt
        self.outcome = outcome
        self.answeredBy = answeredBy
        self.sipStatus = sipStatus
    }
}
