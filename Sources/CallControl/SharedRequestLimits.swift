// Meta's call permission request limits across the nodes of a cluster: a node
// records each request in the store the nodes share before it goes out, so the
// limits (1 per 24 hours, 2 per 7 days, per user and business number) hold
// whichever node sends it. Each node still keeps its own count
// (`PermissionRequestLimiter`), which decides alone on a single node and while
// the store is away.

public import Foundation

/// The cluster's shared count of permission requests.
public protocol SharedRequestLimits: Sendable {
    /// Records request `requestID` to `user` through `number` at `now`; false when
    /// the requests other nodes sent leave no room. True when the shared store
    /// cannot be reached: this node's own count has decided, and a store outage
    /// must not hold every request back.
    func claim(user: WhatsAppUser, number: WhatsAppNumberID, requestID: String, now: Date) async -> Bool
    /// Request `requestID` never reached the user: it no longer counts.
    func refund(number: WhatsAppNumberID, requestID: String) async
    /// Meta refused a request to `user` for its limits or rate: none before `until`.
    func hold(user: WhatsAppUser, number: WhatsAppNumberID, until: Date) async
    /// A business-initiated call to `user` connected: Meta's counts start again.
    func reset(user: WhatsAppUser, number: WhatsAppNumberID) async
}

/// Work that one node of a cluster does for all: the first node to claim a key
/// does it, the others drop it.
public protocol ClusterClaims: Sendable {
    /// True when this node is the first to claim `key` within `window`, or when
    /// the shared store cannot be reached (the work is then done here, perhaps
    /// twice, rather than nowhere).
    func claimOnce(_ key: String, window: Duration) async -> Bool
}
