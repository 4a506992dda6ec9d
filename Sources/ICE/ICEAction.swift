public import SDP
public import STUN

/// What an ICE state machine asks its driver to do or to know.
public enum ICEAction: Hashable, Sendable {
    /// Send `bytes` as one UDP datagram to `to` from the socket bound to `from`
    /// (a driver with one wildcard socket ignores `from`).
    case send([UInt8], to: TransportAddress, from: TransportAddress)
    /// A pair is selected: media goes from `pair.local` to `pair.remote`. Emitted once.
    case selected(ICESelectedPair)
    /// The role changed after a role conflict (RFC 8445 §7.2.5.1, §7.3.1.1).
    case roleChanged(ICERole)
    /// ICE is over without media; the call should end with this reason. Emitted once.
    case failed(reason: ICEFailureReason)
}

/// Why ICE failed.
public enum ICEFailureReason: String, Hashable, Sendable, CustomStringConvertible {
    /// No candidate pair could be formed: no remote candidate of a family we have
    /// an address for (or none at all), and no check arrived from the peer.
    case noUsableCandidates
    /// Every candidate pair was checked and failed, at least one by an answer (an error response).
    case allPairsFailed
    /// Every candidate pair was checked and not one check was answered: UDP toward
    /// the peer (or back) is dropped, as by a firewall in front of Meta's relays.
    case unanswered
    /// No pair was selected within the connectivity timeout.
    case timeout
    /// After selection, the peer stopped answering consent checks (RFC 7675),
    /// or (lite responder) stopped sending them.
    case consentLost

    /// A sentence for logs and call records.
    public var description: String {
        switch self {
        case .noUsableCandidates: return "ICE failed: no usable candidate pair (no common address family)"
        case .allPairsFailed: return "ICE failed: every candidate pair failed its connectivity checks"
        case .unanswered: return "ICE failed: no connectivity check was answered (every check timed out)"
        case .timeout: return "ICE failed: no candidate pair selected before the connectivity timeout"
        case .consentLost: return "ICE consent lost: the peer stopped answering for 30 s (RFC 7675)"
        }
    }
}

/// The selected candidate pair, as the media path needs it.
public struct ICESelectedPair: Hashable, Sendable, CustomStringConvertible {
    /// Our side: the base we send from.
    public var local: TransportAddress
    /// The peer's side: where media goes.
    public var remote: TransportAddress
    /// Our candidate's type (`host`, `srflx`, `prflx`).
    public var localKind: ICECandidate.Kind
    /// The peer's candidate's type.
    public var remoteKind: ICECandidate.Kind

    /// Creates a pair.
    public init(local: TransportAddress, remote: TransportAddress, localKind: ICECandidate.Kind, remoteKind: ICECandidate.Kind) {
        self.local = local
        self.remote = remote
        self.localKind = localKind
        self.remoteKind = remoteKind
    }

    /// `10.0.0.5:40000 (host) -> 157.240.1.1:3484 (host)`.
    public var description: String {
        "\(local) (\(localKind.rawValue)) -> \(remote) (\(remoteKind.rawValue))"
    }
}
