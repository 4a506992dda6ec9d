import SDP
import STUN

/// A candidate pair in the checklist (RFC 8445 §6.1.2).
struct ICEPair {
    /// Pair states (RFC 8445 §6.1.2.6).
    enum State: Hashable {
        /// Not checked until a pair of the same foundation succeeds.
        case frozen
        /// To be checked.
        case waiting
        /// A check is outstanding.
        case inProgress
        /// A check succeeded.
        case succeeded
        /// Checks failed.
        case failed

        /// Waiting, frozen or in progress.
        var isPending: Bool {
            self == .waiting || self == .frozen || self == .inProgress
        }
    }

    /// Our candidate.
    var local: ICELocalCandidate
    /// The peer's candidate.
    var remote: ICERemoteCandidate
    /// The state.
    var state: State
    /// The pair priority for the current role.
    var priority: UInt64 = 0
    /// Controlled role: the peer nominated this pair before our check succeeded (RFC 8445 §7.3.1.5).
    var nominateOnSuccess = false

    /// Local and remote foundations together (RFC 8445 §6.1.2.6).
    var foundation: String {
        local.candidate.foundation + "|" + remote.candidate.foundation
    }

    /// RFC 8445 §6.1.2.3: `2^32*MIN(G,D) + 2*MAX(G,D) + (G>D?1:0)`, G the
    /// controlling agent's candidate priority, D the controlled one's.
    static func priority(local: UInt32, remote: UInt32, role: ICERole) -> UInt64 {
        let controlling = UInt64(role == .controlling ? local : remote)
        let controlled = UInt64(role == .controlling ? remote : local)
        return (min(controlling, controlled) << 32) + 2 * max(controlling, controlled) + (controlling > controlled ? 1 : 0)
    }

    /// Recomputes `priority` for a role.
    mutating func updatePriority(role: ICERole) {
        priority = Self.priority(local: local.candidate.priority, remote: remote.candidate.priority, role: role)
    }

    /// The PRIORITY to send in checks: our candidate's with the peer-reflexive type preference (RFC 8445 §7.1.1).
    var checkPriority: UInt32 {
        (ICECandidate.Kind.peerReflexive.typePreference << 24) | (local.candidate.priority & 0x00FF_FFFF)
    }
}

/// A peer candidate with its parsed address.
struct ICERemoteCandidate {
    /// The candidate from SDP, or a peer-reflexive one learnt from a check.
    var candidate: ICECandidate
    /// Its transport address.
    var address: TransportAddress
}

/// A valid pair (RFC 8445 §7.2.5.3.2): built from a successful check's mapped address.
struct ICEValidPair {
    /// Our candidate as the peer saw it (maybe peer-reflexive).
    var local: ICELocalCandidate
    /// The peer's candidate.
    var remote: ICERemoteCandidate
    /// The checklist pair whose check produced it.
    var pairIndex: Int
    /// The pair priority.
    var priority: UInt64
    /// A nomination check on it failed.
    var failed = false

    /// What the driver gets when this pair is selected.
    var selected: ICESelectedPair {
        ICESelectedPair(local: local.base, remote: remote.address, localKind: local.candidate.kind, remoteKind: remote.candidate.kind)
    }
}

/// An outstanding Binding request (RFC 8489 §6.2.1).
struct ICETransaction {
    /// Why it was sent.
    enum Purpose: Hashable {
        /// An ordinary or triggered connectivity check of a checklist pair.
        case check
        /// A check with USE-CANDIDATE on a valid pair (index into the valid list).
        case nomination(Int)
        /// A consent freshness check on the selected pair (RFC 7675).
        case consent
    }

    /// Why it was sent.
    var purpose: Purpose
    /// The checklist pair (unused for consent).
    var pairIndex: Int
    /// The encoded request, resent as is.
    var request: [UInt8]
    /// The destination.
    var to: TransportAddress
    /// The base it is sent from.
    var from: TransportAddress
    /// The PRIORITY sent (for a peer-reflexive local candidate, RFC 8445 §7.2.5.3.1).
    var priority: UInt32
    /// The role we claimed in it.
    var role: ICERole
    /// How many times it was sent.
    var transmissions = 1
    /// The current retransmission timeout.
    var rto: Duration
    /// When to retransmit or, after the last one, give up.
    var nextEventAt: ICEInstant
}
