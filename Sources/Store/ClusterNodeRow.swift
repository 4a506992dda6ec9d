public import Foundation

/// One node of a cluster as the `cluster_nodes` table keeps it: its lease and
/// what the others need to route to it.
public struct ClusterNodeRow: Sendable, Equatable {
    /// The node's name (`[cluster] node_id`).
    public var nodeID: String
    /// Where the other nodes reach its webhook listener.
    public var url: String
    /// A fresh value at every start: a renewal from an earlier run of the node fails.
    public var incarnation: String
    /// `alive` or `dead` (taken over by a survivor).
    public var state: String
    /// Whether it takes new calls (false while draining).
    public var ready: Bool
    /// Calls it carried at its last renewal.
    public var activeCalls: Int
    /// When the lease ends unless renewed.
    public var leaseUntil: Date
    /// The node that took its calls over, once it is dead.
    public var takenOverBy: String?

    /// Creates a row.
    public init(nodeID: String, url: String, incarnation: String, state: String = "alive", ready: Bool = true,
                activeCalls: Int = 0, leaseUntil: Date, takenOverBy: String? = nil) {
        self.nodeID = nodeID
        self.url = url
        self.incarnation = incarnation
        self.state = state
        self.ready = ready
        self.activeCalls = activeCalls
        self.leaseUntil = leaseUntil
        self.takenOverBy = takenOverBy
    }
}

/// One limit a call counts against across the cluster: a scope (`number:<id>`,
/// `owner:<key>`) and how many calls it may carry at once.
public struct CallSlotLimit: Sendable, Equatable, Hashable {
    /// What is limited.
    public var scope: String
    /// How many calls at once.
    public var limit: Int

    /// Creates a limit.
    public init(scope: String, limit: Int) {
        self.scope = scope
        self.limit = limit
    }
}
