import SDP
import STUN

/// Candidate pairs: forming, pruning, freezing (RFC 8445 §6.1.2).
extension ICEAgent {
    /// At most this many pairs (RFC 8445 §6.1.2.5 suggests 100).
    static let maxPairs = 100

    /// Adds the signalled candidates and pairs them with ours (§6.1.2.2), prunes
    /// redundant pairs (§6.1.2.4) and sets initial states (§6.1.2.6).
    mutating func formPairs(from candidates: [ICECandidate]) {
        for candidate in candidates {
            guard candidate.component == 1, candidate.transport.lowercased() == "udp",
                  let address = TransportAddress(candidate.address, port: candidate.port),
                  !remoteCandidates.contains(where: { $0.address == address })
            else { continue }
            remoteCandidates.append(ICERemoteCandidate(candidate: candidate, address: address))
        }
        var formed: [ICEPair] = []
        for local in localCandidates where local.candidate.kind != .peerReflexive {
            for remote in remoteCandidates where remote.address.isIPv6 == local.base.isIPv6 {
                var pair = ICEPair(local: local, remote: remote, state: .frozen)
                pair.updatePriority(role: role)
                formed.append(pair)
            }
        }
        formed.sort { $0.priority > $1.priority }
        var seenFoundations: Set<String> = Set(pairs.map(\.foundation))
        for var pair in formed where pairIndex(base: pair.local.base, remote: pair.remote.address) == nil {
            guard pairs.count < Self.maxPairs else { break }
            if seenFoundations.insert(pair.foundation).inserted {
                pair.state = .waiting
            }
            pairs.append(pair)
        }
    }

    /// The pair with this base and remote address.
    func pairIndex(base: TransportAddress, remote: TransportAddress) -> Int? {
        pairs.firstIndex { $0.local.base == base && $0.remote.address == remote }
    }

    /// The local candidate a request arrived on: the one whose base is `to`,
    /// else the first of the source's family (a wildcard socket does not know).
    func localCandidate(receivedOn destination: TransportAddress?, family source: TransportAddress) -> ICELocalCandidate? {
        if let destination, let match = localCandidates.first(where: { $0.base == destination && $0.candidate.kind == .host }) {
            return match
        }
        return localCandidates.first { $0.base.isIPv6 == source.isIPv6 && $0.candidate.kind != .peerReflexive }
    }

    /// The remote candidate at an address, adding a peer-reflexive one when the
    /// address is unknown (RFC 8445 §7.3.1.3).
    mutating func remoteCandidate(at address: TransportAddress, priority: UInt32) -> ICERemoteCandidate {
        if let known = remoteCandidates.first(where: { $0.address == address }) {
            return known
        }
        let candidate = ICECandidate(
            foundation: "prflx\(remoteCandidates.count + 1)", priority: priority,
            address: address.host, port: Int(address.port), kind: .peerReflexive
        )
        let remote = ICERemoteCandidate(candidate: candidate, address: address)
        remoteCandidates.append(remote)
        return remote
    }

    /// Our candidate whose address is `mapped`, adding a peer-reflexive one with
    /// the PRIORITY we sent and the check's base when there is none (RFC 8445 §7.2.5.3.1).
    mutating func localCandidate(mapped: TransportAddress, base: TransportAddress, priority: UInt32) -> ICELocalCandidate {
        if let known = localCandidates.first(where: { $0.address == mapped }) {
            return known
        }
        let candidate = ICECandidate(
            foundation: "prflx\(localCandidates.count + 1)", priority: priority,
            address: mapped.host, port: Int(mapped.port), kind: .peerReflexive
        )
        let local = ICELocalCandidate(candidate: candidate, base: base)
        localCandidates.append(local)
        return local
    }

    /// Unfreezes pairs sharing a foundation with a succeeded pair (RFC 8445 §7.2.5.3.3).
    mutating func unfreeze(foundation: String) {
        for index in pairs.indices where pairs[index].state == .frozen && pairs[index].foundation == foundation {
            pairs[index].state = .waiting
        }
    }

    /// Puts a pair in the triggered-check queue (RFC 8445 §7.3.1.4).
    mutating func enqueueTriggered(_ index: Int) {
        pairs[index].state = .waiting
        if !triggeredQueue.contains(index) {
            triggeredQueue.append(index)
        }
    }

    /// Switches role after a conflict and recomputes pair priorities (RFC 8445 §7.2.5.1, §7.3.1.1).
    mutating func switchRole(to newRole: ICERole, actions: inout [ICEAction]) {
        guard newRole != role else { return }
        role = newRole
        for index in pairs.indices {
            pairs[index].updatePriority(role: role)
        }
        for index in validPairs.indices {
            validPairs[index].priority = ICEPair.priority(
                local: validPairs[index].local.candidate.priority,
                remote: validPairs[index].remote.candidate.priority, role: role
            )
        }
        if role == .controlled {
            pendingNomination = nil
            nominationInFlight = nil
            for (id, transaction) in transactions {
                if case .nomination = transaction.purpose { transactions[id]?.purpose = .check }
            }
        }
        actions.append(.roleChanged(role))
    }

    /// Whether a check is waiting for its pacing slot.
    var hasCheckWork: Bool {
        pendingNomination != nil || !triggeredQueue.isEmpty
            || pairs.contains { $0.state == .waiting || $0.state == .frozen }
    }
}
