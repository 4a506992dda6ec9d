import SDP
public import STUN

/// A full ICE agent (RFC 8445) for one data stream with one component
/// (rtcp-mux, BUNDLE), controlling by default: the gateway's side of the
/// WhatsApp media leg, where Meta is an ICE-lite peer.
///
/// Sans-I/O: the driver feeds datagrams that `isSTUN` accepts and the time, and
/// performs the returned actions. A SwiftNIO driver on the call's event loop:
///
/// ```
/// var agent = ICEAgent(localCredentials: creds, localCandidates: candidates, ...)
/// perform(agent.start(remote: ICERemoteDescription(answer), now: now()))
/// // channelRead: if isSTUN(bytes) { perform(agent.receive(bytes, from: src, to: nil, now: now())) }
/// // after every call: reschedule one timer at agent.nextTimeout(); when it fires,
/// //   perform(agent.poll(now: now()))
/// ```
///
/// Regular nomination, peer-reflexive candidates, role conflicts (487), retransmission
/// with pacing, consent freshness (RFC 7675) after selection. The selected pair
/// never changes; there is no ICE restart, TURN or trickle.
public struct ICEAgent: Sendable {
    /// The agent's lifecycle; the checklist itself lives in the stored properties.
    enum State {
        /// Created; answering checks, waiting for the peer's description.
        case idle
        /// Checking until the deadline.
        case checking(deadline: ICEInstant)
        /// A pair is selected; consent freshness runs.
        case selected(ICEConsent)
        /// Over, with a reason.
        case failed(ICEFailureReason)
        /// Closed by the driver.
        case closed
    }

    /// Counters for metrics (drops are counted, not logged).
    public struct Statistics: Hashable, Sendable {
        /// Requests sent, retransmissions included.
        public var requestsSent = 0
        /// Authentic responses matched to a transaction.
        public var responsesReceived = 0
        /// Authentic requests answered with success.
        public var requestsAnswered = 0
        /// Datagrams dropped: unparsable, unauthentic, unmatched, stray.
        public var dropped = 0
    }

    /// Timers and limits.
    let configuration: ICEConfiguration
    /// Our credentials.
    public let localCredentials: ICECredentials
    /// Our password as the key that checks sent to us must carry.
    let localKey: STUNIntegrityKey
    /// Our candidates, with peer-reflexive ones appended as they are learnt.
    public internal(set) var localCandidates: [ICELocalCandidate]
    /// The current role.
    public internal(set) var role: ICERole
    /// Our tie-breaker (RFC 8445 §7.1.3).
    public let tieBreaker: UInt64
    /// Counters.
    public internal(set) var statistics = Statistics()
    /// Transaction ids, the tie-breaker and consent jitter.
    var random: any RandomNumberGenerator & Sendable
    /// Where the agent is.
    var state: State = .idle
    /// The peer's description, once started.
    var remote: ICERemoteDescription?
    /// The peer's password as the key of our checks and their responses.
    var remoteKey: STUNIntegrityKey?
    /// Signalled and peer-reflexive remote candidates.
    var remoteCandidates: [ICERemoteCandidate] = []
    /// The checklist (RFC 8445 §6.1.2).
    var pairs: [ICEPair] = []
    /// Pairs awaiting a triggered check, first in first out (RFC 8445 §6.1.4.1).
    var triggeredQueue: [Int] = []
    /// The valid list (RFC 8445 §7.2.5.3.2).
    var validPairs: [ICEValidPair] = []
    /// Outstanding requests by transaction id.
    var transactions: [STUNTransactionID: ICETransaction] = [:]
    /// When the last new check went out (pacing).
    var lastTransactionAt: ICEInstant?
    /// When the first pair became valid (nomination delay).
    var firstValidAt: ICEInstant?
    /// A valid pair chosen for nomination, waiting for its pacing slot.
    var pendingNomination: Int?
    /// The valid pair whose USE-CANDIDATE check is outstanding.
    var nominationInFlight: Int?

    /// Creates an agent. It answers checks at once; checks start with `start`.
    /// - Parameters:
    ///   - localCredentials: our ufrag/pwd, as put in our SDP.
    ///   - localCandidates: our candidates, as put in our SDP, with their bases.
    ///   - role: `.controlling` for the gateway (the peer is lite, or we offered).
    ///   - tieBreaker: drawn from `random` when nil.
    ///   - configuration: timers.
    ///   - random: transaction ids, tie-breaker and consent jitter come from it.
    public init(
        localCredentials: ICECredentials, localCandidates: [ICELocalCandidate], role: ICERole = .controlling,
        tieBreaker: UInt64? = nil, configuration: ICEConfiguration = ICEConfiguration(),
        random: some RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()
    ) {
        var random = random
        self.tieBreaker = tieBreaker ?? random.next()
        self.random = random
        self.configuration = configuration
        self.localCredentials = localCredentials
        self.localKey = STUNIntegrityKey(shortTermPassword: localCredentials.pwd)
        self.localCandidates = localCandidates
        self.role = role
    }

    /// The selected pair, once there is one.
    public var selectedPair: ICESelectedPair? {
        if case .selected(let consent) = state { return consent.pair }
        return nil
    }

    /// Whether non-STUN traffic (DTLS) from `address` may be trusted: the
    /// selected pair's remote once selected; before that, the remote of a valid
    /// pair (a check to it got an authenticated success response).
    public func isValidatedRemote(_ address: TransportAddress) -> Bool {
        if case .selected(let consent) = state { return consent.pair.remote == address }
        return validPairs.contains { !$0.failed && $0.remote.address == address }
    }

    /// Why the agent failed, if it did.
    public var failureReason: ICEFailureReason? {
        if case .failed(let reason) = state { return reason }
        return nil
    }

    /// Takes the peer's credentials and candidates and starts the checks
    /// (RFC 8445 §6.1.2, §6.1.4). Call once; later calls are ignored.
    public mutating func start(remote description: ICERemoteDescription, now: ICEInstant) -> [ICEAction] {
        guard case .idle = state else { return [] }
        remote = description
        remoteKey = STUNIntegrityKey(shortTermPassword: description.pwd)
        state = .checking(deadline: now + configuration.connectivityTimeout)
        formPairs(from: description.candidates)
        return tick(now: now)
    }

    /// Handles one datagram that `isSTUN` accepted. `to` is the local address it
    /// arrived on, when the driver knows it (nil with one wildcard socket).
    public mutating func receive(
        _ bytes: [UInt8], from source: TransportAddress, to destination: TransportAddress? = nil, now: ICEInstant
    ) -> [ICEAction] {
        switch state {
        case .failed, .closed: return []
        default: break
        }
        guard let packet = try? STUNPacket(parsing: bytes), packet.type.method == STUNMessageType.bindingMethod else {
            statistics.dropped += 1
            return []
        }
        var actions: [ICEAction] = []
        switch packet.type.messageClass {
        case .request:
            handleRequest(packet, from: source, to: destination, now: now, actions: &actions)
        case .successResponse, .errorResponse:
            handleResponse(packet, from: source, now: now, actions: &actions)
        case .indication:
            break
        }
        return actions + tick(now: now)
    }

    /// Advances timers: retransmissions, paced checks, nomination, timeouts, consent.
    public mutating func poll(now: ICEInstant) -> [ICEAction] {
        tick(now: now)
    }

    /// When `poll` must next be called, or nil when nothing is scheduled.
    public func nextTimeout() -> ICEInstant? {
        var next: ICEInstant?
        func consider(_ instant: ICEInstant?) {
            guard let instant else { return }
            next = min(next ?? instant, instant)
        }
        for transaction in transactions.values {
            consider(transaction.nextEventAt)
        }
        switch state {
        case .idle, .failed, .closed:
            return nil
        case .checking(let deadline):
            consider(deadline)
            if hasCheckWork {
                consider(lastTransactionAt.map { $0 + configuration.pacingInterval } ?? .zero)
            }
            if role == .controlling, nominationInFlight == nil, pendingNomination == nil, let firstValidAt {
                consider(firstValidAt + configuration.nominationDelay)
            }
        case .selected(let consent):
            consider(consent.nextCheckAt)
            consider(consent.lastResponseAt + configuration.consentTimeout)
        }
        return next
    }

    /// Stops everything (the call ended); later inputs return no actions.
    public mutating func close() {
        state = .closed
        transactions.removeAll()
        triggeredQueue.removeAll()
    }

    /// One pass over everything time-driven.
    mutating func tick(now: ICEInstant) -> [ICEAction] {
        var actions: [ICEAction] = []
        switch state {
        case .idle, .failed, .closed:
            return []
        case .checking(let deadline):
            runRetransmissions(now: now, actions: &actions)
            decideNomination(now: now)
            sendNextCheck(now: now, actions: &actions)
            checkForFailure(now: now, deadline: deadline, actions: &actions)
        case .selected:
            runRetransmissions(now: now, actions: &actions)
            runConsent(now: now, actions: &actions)
        }
        return actions
    }

    /// Ends ICE with a reason.
    mutating func fail(_ reason: ICEFailureReason, actions: inout [ICEAction]) {
        state = .failed(reason)
        transactions.removeAll()
        triggeredQueue.removeAll()
        actions.append(.failed(reason: reason))
    }
}
