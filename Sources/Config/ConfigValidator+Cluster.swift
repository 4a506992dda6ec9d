// Building [cluster]: the node's name, its address for the other nodes, the
// forwarding key, and the lease timing.

extension ConfigValidator {
    /// Validates `[cluster]` (called only when the section is present); nil when it is unusable.
    ///
    /// A cluster needs `[storage] postgres`: the nodes share their calls, leases and
    /// webhook deduplication through it. `lease` is at least twice `heartbeat`, so a
    /// single late renewal does not make a live node dead; at most 12 s, so a
    /// survivor ends a dead node's calls within 15 s of its last renewal.
    func buildCluster(_ reader: SectionReader, storage: StorageConfig) -> ClusterConfig? {
        if storage.postgres == nil {
            reader.problem(reader.headerLine, "[cluster] needs [storage] postgres (the store the nodes share)")
        }
        let nodeID = reader.string("node_id", default: "")
        if nodeID.isEmpty || nodeID.count > 64
            || !nodeID.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) {
            reader.problem(reader.line(of: "node_id"),
                           "[cluster] needs 'node_id': 1 to 64 letters, digits, '.', '_' or '-'")
        }
        let nodeURL = reader.string("node_url", default: "")
        if !Self.isNodeURL(nodeURL) {
            reader.problem(reader.line(of: "node_url"),
                           "[cluster] needs 'node_url': http://host:port or https://host:port, where the other nodes "
                               + "reach this node's webhook listener")
        }
        let secret = secret(reader, "secret")
        if secret.map({ $0.reveal().count < Self.minimumListenerTokenLength }) ?? true {
            reader.problem(reader.line(of: "secret"),
                           "[cluster] needs 'secret' of at least \(Self.minimumListenerTokenLength) characters "
                               + "(the same on every node)")
        }
        let heartbeat = reader.seconds("heartbeat", default: 2, in: 1...10)
        let lease = reader.seconds("lease", default: 6, in: 2...12)
        if lease < heartbeat * 2 {
            reader.problem(reader.line(of: "lease"), "[cluster] 'lease' must be at least twice 'heartbeat'")
        }
        guard storage.postgres != nil, let secret, !nodeID.isEmpty, Self.isNodeURL(nodeURL) else { return nil }
        return ClusterConfig(nodeID: nodeID, nodeURL: nodeURL, secret: secret, heartbeat: heartbeat, lease: lease)
    }

    /// `http://host:port` or `https://host:port`, nothing after the port but an optional `/`.
    static func isNodeURL(_ text: String) -> Bool {
        for scheme in ["http://", "https://"] where text.hasPrefix(scheme) {
            var rest = text.dropFirst(scheme.count)
            if rest.hasSuffix("/") { rest = rest.dropLast() }
            guard let colon = rest.lastIndex(of: ":"), colon != rest.startIndex,
                  let port = Int(rest[rest.index(after: colon)...]), (1...65535).contains(port) else { return false }
            return !rest[..<colon].contains("/") && !rest[..<colon].contains("@")
        }
        return false
    }
}
