import SDP
import STUN

/// Checks from the peer (RFC 8445 §7.3).
extension ICEAgent {
    /// Validates a request with our password, resolves a role conflict, answers,
    /// learns a peer-reflexive candidate and queues a triggered check.
    mutating func handleRequest(
        _ packet: STUNPacket, from source: TransportAddress, to destination: TransportAddress?,
        now: ICEInstant, actions: inout [ICEAction]
    ) {
        let verdict = ICEBindingResponder.validate(
            packet, localUfrag: localCredentials.ufrag, remoteUfrag: remote?.ufrag, key: localKey
        )
        let local = localCandidate(receivedOn: destination, family: source)
        let base = local?.base ?? destination ?? source
        switch verdict {
        case .drop:
            statistics.dropped += 1
            return
        case .reject(let code, let authenticated, let unknown):
            statistics.dropped += 1
            let bytes = ICEBindingResponder.error(
                to: packet, code: code, unknown: unknown, key: authenticated ? localKey : nil, software: configuration.software
            )
            actions.append(.send(bytes, to: source, from: base))
            return
        case .valid:
            break
        }
        guard let priority = packet.priority else {
            let bytes = ICEBindingResponder.error(to: packet, code: .badRequest, unknown: [], key: localKey, software: configuration.software)
            actions.append(.send(bytes, to: source, from: base))
            return
        }
        guard resolveRoleConflict(packet, source: source, base: base, actions: &actions) else { return }
        statistics.requestsAnswered += 1
        let response = ICEBindingResponder.success(to: packet, source: source, key: localKey, software: configuration.software)
        actions.append(.send(response, to: source, from: base))
        switch state {
        case .idle, .checking:
            guard let local else { return }
            trigger(local: local, source: source, priority: priority, useCandidate: packet.useCandidate, now: now, actions: &actions)
        case .selected, .failed, .closed:
            return
        }
    }

    /// RFC 8445 §7.3.1.1. Returns false when we answered 487 and must stop.
    mutating func resolveRoleConflict(
        _ packet: STUNPacket, source: TransportAddress, base: TransportAddress, actions: inout [ICEAction]
    ) -> Bool {
        let theirs: UInt64?
        switch role {
        case .controlling: theirs = packet.iceControlling
        case .controlled: theirs = packet.iceControlled
        }
        guard let theirs else { return true }
        let weWin = tieBreaker >= theirs
        // Controlling and winning, or controlled and losing: the peer must switch (487).
        if (role == .controlling) == weWin {
            let bytes = ICEBindingResponder.error(to: packet, code: .roleConflict, unknown: [], key: localKey, software: configuration.software)
            actions.append(.send(bytes, to: source, from: base))
            return false
        }
        if case .selected = state { return true }
        switchRole(to: role.flipped, actions: &actions)
        return true
    }

    /// §7.3.1.3–§7.3.1.5: the pair (our candidate, the source) is created if new
    /// and checked as a triggered check unless it already succeeded; in the
    /// controlled role USE-CANDIDATE selects it once valid.
    mutating func trigger(
        local: ICELocalCandidate, source: TransportAddress, priority: UInt32, useCandidate: Bool,
        now: ICEInstant, actions: inout [ICEAction]
    ) {
        let remoteCandidate = remoteCandidate(at: source, priority: priority)
        let index: Int
        if let existing = pairIndex(base: local.base, remote: source) {
            index = existing
        } else {
            guard pairs.count < Self.maxPairs else { return }
            var pair = ICEPair(local: local, remote: remoteCandidate, state: .waiting)
            pair.updatePriority(role: role)
            pairs.append(pair)
            index = pairs.count - 1
        }
        let nominate = useCandidate && role == .controlled
        switch pairs[index].state {
        case .succeeded:
            if nominate, let valid = validPairs.firstIndex(where: { $0.pairIndex == index && !$0.failed }) {
                select(validIndex: valid, now: now, actions: &actions)
            }
        case .inProgress:
            // The outstanding check continues (RFC 8445 §7.3.1.4 would restart it).
            pairs[index].nominateOnSuccess = pairs[index].nominateOnSuccess || nominate
        case .waiting, .frozen, .failed:
            pairs[index].nominateOnSuccess = pairs[index].nominateOnSuccess || nominate
            enqueueTriggered(index)
        }
    }
}
