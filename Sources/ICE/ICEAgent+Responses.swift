import SDP
import STUN

/// Responses to our checks (RFC 8445 §7.2.5).
extension ICEAgent {
    /// Matches a response to its transaction, authenticates it with the peer's
    /// password and dispatches on success or error.
    mutating func handleResponse(_ packet: STUNPacket, from source: TransportAddress, now: ICEInstant, actions: inout [ICEAction]) {
        guard packet.hasFingerprint, (try? packet.verifyFingerprint()) != nil,
              let transaction = transactions[packet.transactionID], let remoteKey else {
            statistics.dropped += 1
            return
        }
        let isSuccess = packet.type.messageClass == .successResponse
        // Success must carry integrity; an error response may lack it (e.g. 400, 401).
        guard isSuccess ? packet.isAuthentic(key: remoteKey) : (!packet.hasIntegrity || packet.isAuthentic(key: remoteKey)) else {
            statistics.dropped += 1
            return
        }
        transactions[packet.transactionID] = nil
        statistics.responsesReceived += 1
        // §7.2.5.2.1: the source must be where the request went.
        guard source == transaction.to else {
            failCheck(transaction)
            return
        }
        if isSuccess {
            handleSuccess(packet, transaction: transaction, now: now, actions: &actions)
        } else {
            handleError(packet, transaction: transaction, actions: &actions)
        }
    }

    /// A check's pair fails; a nomination's valid pair too; consent ignores it.
    mutating func failCheck(_ transaction: ICETransaction) {
        transactionTimedOut(transaction)
    }

    /// §7.2.5.3: the pair succeeds, the valid pair is built from XOR-MAPPED-ADDRESS
    /// (a peer-reflexive local candidate when unknown), same-foundation pairs
    /// unfreeze, and a nomination (or a pending controlled nomination) selects.
    mutating func handleSuccess(_ packet: STUNPacket, transaction: ICETransaction, now: ICEInstant, actions: inout [ICEAction]) {
        if transaction.purpose == .consent {
            if case .selected(var consent) = state {
                consent.lastResponseAt = now
                state = .selected(consent)
            }
            return
        }
        guard case .checking = state else { return }
        let index = transaction.pairIndex
        pairs[index].state = .succeeded
        let mapped = packet.xorMappedAddress ?? transaction.from
        let local = localCandidate(mapped: mapped, base: transaction.from, priority: transaction.priority)
        let validIndex = addValidPair(local: local, remote: pairs[index].remote, pairIndex: index)
        firstValidAt = firstValidAt ?? now
        unfreeze(foundation: pairs[index].foundation)
        switch transaction.purpose {
        case .nomination:
            nominationInFlight = nil
            select(validIndex: validIndex, now: now, actions: &actions)
        case .check where role == .controlled && pairs[index].nominateOnSuccess:
            select(validIndex: validIndex, now: now, actions: &actions)
        default:
            break
        }
    }

    /// Adds a valid pair unless the same one is already there.
    mutating func addValidPair(local: ICELocalCandidate, remote: ICERemoteCandidate, pairIndex: Int) -> Int {
        if let existing = validPairs.firstIndex(where: { $0.local.base == local.base && $0.local.candidate == local.candidate && $0.remote.address == remote.address }) {
            return existing
        }
        let priority = ICEPair.priority(local: local.candidate.priority, remote: remote.candidate.priority, role: role)
        validPairs.append(ICEValidPair(local: local, remote: remote, pairIndex: pairIndex, priority: priority))
        return validPairs.count - 1
    }

    /// 487: switch role and retry the pair as a triggered check (§7.2.5.1);
    /// any other error fails the pair (§7.2.5.2.4).
    mutating func handleError(_ packet: STUNPacket, transaction: ICETransaction, actions: inout [ICEAction]) {
        guard case .checking = state else { return }
        if packet.errorCode?.code == STUNErrorCode.roleConflict.code {
            if transaction.role == role {
                switchRole(to: role.flipped, actions: &actions)
            }
            if case .nomination(let validIndex) = transaction.purpose, nominationInFlight == validIndex {
                nominationInFlight = nil
            }
            enqueueTriggered(transaction.pairIndex)
            return
        }
        failCheck(transaction)
    }

    /// Selects a valid pair: checks stop, consent freshness starts (RFC 8445 §8.1.2, RFC 7675).
    mutating func select(validIndex: Int, now: ICEInstant, actions: inout [ICEAction]) {
        let pair = validPairs[validIndex].selected
        transactions.removeAll()
        triggeredQueue.removeAll()
        pendingNomination = nil
        nominationInFlight = nil
        state = .selected(ICEConsent(pair: pair, validIndex: validIndex, lastResponseAt: now, nextCheckAt: now + consentInterval()))
        actions.append(.selected(pair))
    }
}
