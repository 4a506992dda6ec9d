import SDP
import STUN

/// Sending checks: pacing, retransmission, nomination, failure (RFC 8445 §6.1.4, §8.1; RFC 8489 §6.2.1).
extension ICEAgent {
    /// Resends due requests with a doubled RTO; after `maxTransmissions` sends and
    /// `finalWaitFactor × initialRTO`, the transaction times out.
    mutating func runRetransmissions(now: ICEInstant, actions: inout [ICEAction]) {
        for (id, transaction) in transactions where transaction.nextEventAt <= now {
            guard var current = transactions[id] else { continue }
            if current.transmissions >= configuration.maxTransmissions {
                transactions[id] = nil
                transactionTimedOut(current)
                continue
            }
            current.transmissions += 1
            current.rto = current.rto * 2
            let wait = current.transmissions >= configuration.maxTransmissions
                ? configuration.initialRTO * configuration.finalWaitFactor : current.rto
            current.nextEventAt = now + wait
            transactions[id] = current
            statistics.requestsSent += 1
            actions.append(.send(current.request, to: current.to, from: current.from))
        }
    }

    /// A check got no response: its pair fails (RFC 8445 §7.2.5.2.4). Consent
    /// checks only stop; consent expiry is decided by time since the last response.
    mutating func transactionTimedOut(_ transaction: ICETransaction) {
        switch transaction.purpose {
        case .check:
            pairs[transaction.pairIndex].state = .failed
        case .nomination(let validIndex):
            validPairs[validIndex].failed = true
            pairs[transaction.pairIndex].state = .failed
            nominationInFlight = nil
        case .consent:
            break
        }
    }

    /// Controlling role, regular nomination (RFC 8445 §8.1.1): once a pair is
    /// valid, nominate the best valid pair when no better pair is still being
    /// checked, or after `nominationDelay`.
    mutating func decideNomination(now: ICEInstant) {
        guard role == .controlling, nominationInFlight == nil, pendingNomination == nil, let firstValidAt else { return }
        guard let best = validPairs.indices.filter({ !validPairs[$0].failed })
            .max(by: { validPairs[$0].priority < validPairs[$1].priority }) else { return }
        let betterPending = pairs.contains { $0.state.isPending && $0.priority > validPairs[best].priority }
        if !betterPending || now >= firstValidAt + configuration.nominationDelay {
            pendingNomination = best
        }
    }

    /// Sends at most one new check per Ta (RFC 8445 §6.1.4.2): a nomination
    /// first, then a triggered check, then the best Waiting pair (unfreezing one
    /// per foundation when none is Waiting).
    mutating func sendNextCheck(now: ICEInstant, actions: inout [ICEAction]) {
        if let last = lastTransactionAt, now < last + configuration.pacingInterval { return }
        if let validIndex = pendingNomination {
            pendingNomination = nil
            nominationInFlight = validIndex
            let valid = validPairs[validIndex]
            sendCheck(pairIndex: valid.pairIndex, purpose: .nomination(validIndex), now: now, actions: &actions)
            return
        }
        while let index = triggeredQueue.first {
            triggeredQueue.removeFirst()
            if pairs[index].state == .waiting {
                sendCheck(pairIndex: index, purpose: .check, now: now, actions: &actions)
                return
            }
        }
        if !pairs.contains(where: { $0.state == .waiting }) {
            unfreezeOnePerFoundation()
        }
        let waiting = pairs.indices.filter { pairs[$0].state == .waiting }
        if let index = waiting.max(by: { pairs[$0].priority < pairs[$1].priority }) {
            sendCheck(pairIndex: index, purpose: .check, now: now, actions: &actions)
        }
    }

    /// RFC 8445 §6.1.4.2 step 2: a Frozen pair whose foundation has nothing Waiting or In-Progress becomes Waiting.
    mutating func unfreezeOnePerFoundation() {
        var busy = Set(pairs.filter { $0.state == .waiting || $0.state == .inProgress }.map(\.foundation))
        for index in pairs.indices where pairs[index].state == .frozen && busy.insert(pairs[index].foundation).inserted {
            pairs[index].state = .waiting
        }
    }

    /// Builds and sends a Binding request on a pair (RFC 8445 §7.2.2): USERNAME
    /// `rfrag:lfrag`, PRIORITY, ICE-CONTROLLING/ICE-CONTROLLED, USE-CANDIDATE for a
    /// nomination, integrity with the peer's password, FINGERPRINT.
    mutating func sendCheck(pairIndex: Int, purpose: ICETransaction.Purpose, now: ICEInstant, actions: inout [ICEAction]) {
        let pair = pairs[pairIndex]
        let to: TransportAddress
        let from: TransportAddress
        switch purpose {
        case .nomination(let validIndex):
            to = validPairs[validIndex].remote.address
            from = validPairs[validIndex].local.base
        default:
            to = pair.remote.address
            from = pair.local.base
        }
        var extra: [STUNAttribute] = []
        if case .nomination = purpose { extra.append(.useCandidate) }
        guard let request = makeRequest(priority: pair.checkPriority, extra: extra) else { return }
        if purpose == .check {
            pairs[pairIndex].state = .inProgress
        }
        lastTransactionAt = now
        record(request, purpose: purpose, pairIndex: pairIndex, to: to, from: from, priority: pair.checkPriority, now: now)
        actions.append(.send(request.bytes, to: to, from: from))
    }

    /// Encodes a request with a fresh transaction id.
    mutating func makeRequest(priority: UInt32, extra: [STUNAttribute]) -> (id: STUNTransactionID, bytes: [UInt8])? {
        guard let remote, let remoteKey else { return nil }
        let id = STUNTransactionID(using: &random)
        var attributes: [STUNAttribute] = [.username("\(remote.ufrag):\(localCredentials.ufrag)"), .priority(priority)]
        attributes.append(role == .controlling ? .iceControlling(tieBreaker) : .iceControlled(tieBreaker))
        attributes += extra
        if let software = configuration.software { attributes.append(.software(software)) }
        let message = STUNMessage(type: .bindingRequest, transactionID: id, attributes: attributes)
        guard let bytes = try? message.encode(integrityKey: remoteKey, fingerprint: true) else { return nil }
        return (id, bytes)
    }

    /// Remembers an outstanding request.
    mutating func record(
        _ request: (id: STUNTransactionID, bytes: [UInt8]), purpose: ICETransaction.Purpose, pairIndex: Int,
        to: TransportAddress, from: TransportAddress, priority: UInt32, now: ICEInstant
    ) {
        statistics.requestsSent += 1
        transactions[request.id] = ICETransaction(
            purpose: purpose, pairIndex: pairIndex, request: request.bytes, to: to, from: from, priority: priority,
            role: role, rto: configuration.initialRTO, nextEventAt: now + configuration.initialRTO
        )
    }

    /// Fails on the deadline, when no pair can be formed with a lite peer, or when
    /// every pair failed and nothing is left to try (RFC 8445 §8.1.2): `.unanswered`
    /// when the peer answered nothing at all, so metrics can tell a dropped path from a refusal.
    mutating func checkForFailure(now: ICEInstant, deadline: ICEInstant, actions: inout [ICEAction]) {
        guard case .checking = state else { return }
        if now >= deadline {
            fail(pairs.isEmpty ? .noUsableCandidates : .timeout, actions: &actions)
            return
        }
        if pairs.isEmpty {
            if remote?.isLite == true { fail(.noUsableCandidates, actions: &actions) }
            return
        }
        let busy = pairs.contains { $0.state.isPending } || !triggeredQueue.isEmpty
            || pendingNomination != nil || nominationInFlight != nil
        guard !busy else { return }
        let anyUsable = role == .controlling
            ? validPairs.contains { !$0.failed }
            : pairs.contains { $0.state == .succeeded }
        if !anyUsable {
            let heard = statistics.responsesReceived > 0 || statistics.requestsAnswered > 0
            fail(heard ? .allPairsFailed : .unanswered, actions: &actions)
        }
    }
}
