// Limits that hold across the nodes of a cluster: before a call is admitted it
// takes one slot per limit it counts against, in the store the nodes share.

/// One limit a call counts against across nodes.
public struct CallSlotRequest: Sendable, Equatable, Hashable {
    /// What is limited: `number:<phone_number_id>` or `owner:<owner key>`.
    public var scope: String
    /// How many calls the scope may carry at once, over every node.
    public var limit: Int

    /// Creates a request.
    public init(scope: String, limit: Int) {
        self.scope = scope
        self.limit = limit
    }
}

/// The cluster's shared call slots. Slots are given back when the call's record
/// ends (the record keeper does it), or all at once when a node is taken over.
public protocol CallSlots: Sendable {
    /// Takes a slot in every scope of `requests` for `call`, or none: returns the
    /// scope that is full, nil when every slot was taken. When the shared store
    /// cannot be reached the call is admitted (nil): the limits here still hold
    /// for this node, and a store outage must not stop calls.
    func reserve(call: CallID, requests: [CallSlotRequest]) async -> String?
    /// Gives back the slots of a call that never started (ended while it was routed).
    func release(call: CallID) async
}
