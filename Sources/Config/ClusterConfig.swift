// The [cluster] section: this node's identity among several wagate nodes that
// share one PostgreSQL store (docs/cluster.md).

/// The `[cluster]` section.
public struct ClusterConfig: Sendable, Equatable {
    /// This node's name, unique in the cluster (`node_id`): letters, digits, `.`, `_`, `-`.
    public var nodeID: String
    /// Where the other nodes reach this node's webhook listener (`node_url`,
    /// `http://address:port` or `https://…`): a webhook for a call this node owns
    /// is handed to it there.
    public var nodeURL: String
    /// The key that signs a webhook delivery handed from one node to another
    /// (`secret`, at least 16 characters, normally `${VAR}`); every node has the same.
    public var secret: Secret
    /// How often this node renews its lease (`heartbeat`, seconds).
    public var heartbeat: Duration
    /// How long a lease lasts without renewal (`lease`, seconds): a node silent for
    /// longer is taken as dead, and a survivor ends its calls.
    public var lease: Duration

    /// Creates a `[cluster]` configuration.
    public init(nodeID: String, nodeURL: String, secret: Secret, heartbeat: Duration = .seconds(2),
                lease: Duration = .seconds(6)) {
        self.nodeID = nodeID
        self.nodeURL = nodeURL
        self.secret = secret
        self.heartbeat = heartbeat
        self.lease = lease
    }
}
