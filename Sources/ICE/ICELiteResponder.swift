public import SDP
public import STUN

/// An ICE-lite agent (RFC 8445 §2.5, §7.3): always controlled, sends no checks,
/// answers authentic checks with XOR-MAPPED-ADDRESS and its own integrity, and
/// selects the pair on a USE-CANDIDATE check. With `NominationPolicy.firstOnly` it
/// behaves as Meta does (the first nomination is final; it plays the simulated
/// WhatsApp user); with `.followLatest` it faces a browser, which renominates when its
/// network changes (the selected pair follows the latest authentic nomination, as
/// mediasoup's and Janus's lite servers do).
///
/// Consent (RFC 7675 seen from the lite side): after selection, if no authentic
/// check arrives from the selected peer for `consentTimeout` (30 s), it reports
/// `.failed(reason: .consentLost)`.
///
/// Role conflict: a lite agent cannot become controlling, so a check claiming
/// ICE-CONTROLLED is answered 487 (RFC 8445 §7.3.1.1 with a controlled-only agent).
public struct ICELiteResponder: Sendable {
    /// The responder's lifecycle.
    enum State {
        /// Waiting for a nomination.
        case waiting
        /// Selected; the last authentic check from the selected peer.
        case selected(ICESelectedPair, lastCheckAt: ICEInstant)
        /// Consent lost.
        case failed(ICEFailureReason)
    }

    /// Which USE-CANDIDATE checks select a pair.
    public enum NominationPolicy: Sendable, Equatable {
        /// The first nomination is final (Meta's media servers, the simulator).
        case firstOnly
        /// An authentic nomination from another source moves the selected pair
        /// there (RFC 8445 §8.1.1 leaves renomination to the controlling agent;
        /// browsers use it on network changes).
        case followLatest
    }

    /// Timers (consent timeout) and SOFTWARE.
    let configuration: ICEConfiguration
    /// How nominations select the pair.
    public let nominationPolicy: NominationPolicy
    /// Our credentials.
    public let localCredentials: ICECredentials
    /// The peer's ufrag, when known, checked in USERNAME.
    public var remoteUfrag: String?
    /// Our password as the key checks sent to us must carry.
    let localKey: STUNIntegrityKey
    /// Our (host) candidates; `to` addresses are matched against them.
    public let localCandidates: [ICELocalCandidate]
    /// The peer's signalled candidates, used only to name the selected remote's type.
    public var remoteCandidates: [ICECandidate]
    /// Where the responder is.
    var state: State = .waiting
    /// Authentic checks answered with success.
    public private(set) var checksAnswered = 0
    /// Datagrams dropped or rejected.
    public private(set) var dropped = 0

    /// Creates a responder.
    /// - Parameters:
    ///   - localCredentials: our ufrag/pwd, as in our SDP.
    ///   - remoteUfrag: the peer's ufrag if known (then USERNAME must be `ours:theirs`).
    ///   - localCandidates: our candidates, as in our SDP.
    ///   - remoteCandidates: the peer's candidates, if known (an unknown source is peer-reflexive).
    ///   - configuration: `consentTimeout` and `software` are used.
    ///   - nominationPolicy: `.firstOnly` (Meta) or `.followLatest` (browsers).
    public init(
        localCredentials: ICECredentials, remoteUfrag: String? = nil, localCandidates: [ICELocalCandidate] = [],
        remoteCandidates: [ICECandidate] = [], configuration: ICEConfiguration = ICEConfiguration(),
        nominationPolicy: NominationPolicy = .firstOnly
    ) {
        self.nominationPolicy = nominationPolicy
        self.remoteCandidates = remoteCandidates
        self.localCredentials = localCredentials
        self.remoteUfrag = remoteUfrag
        self.localKey = STUNIntegrityKey(shortTermPassword: localCredentials.pwd)
        self.localCandidates = localCandidates
        self.configuration = configuration
    }

    /// The selected pair; `remote` is the nominated peer address to send media to.
    public var selectedPair: ICESelectedPair? {
        if case .selected(let pair, _) = state { return pair }
        return nil
    }

    /// Whether non-STUN traffic (DTLS) from `address` may be trusted: only the
    /// nominated peer (a lite agent learns nothing before the nomination).
    public func isValidatedRemote(_ address: TransportAddress) -> Bool {
        selectedPair?.remote == address
    }

    /// Why the responder failed, if it did.
    public var failureReason: ICEFailureReason? {
        if case .failed(let reason) = state { return reason }
        return nil
    }

    /// Handles one datagram that `isSTUN` accepted; `to` is the local address it
    /// arrived on, when known.
    public mutating func receive(
        _ bytes: [UInt8], from source: TransportAddress, to destination: TransportAddress? = nil, now: ICEInstant
    ) -> [ICEAction] {
        if case .failed = state { return [] }
        guard let packet = try? STUNPacket(parsing: bytes), packet.type == .bindingRequest else {
            dropped += 1
            return []
        }
        let local = destination.flatMap { address in localCandidates.first { $0.base == address } }
            ?? localCandidates.first { $0.base.isIPv6 == source.isIPv6 }
        let base = local?.base ?? destination ?? source
        let software = configuration.software
        switch ICEBindingResponder.validate(packet, localUfrag: localCredentials.ufrag, remoteUfrag: remoteUfrag, key: localKey) {
        case .drop:
            dropped += 1
            return []
        case .reject(let code, let authenticated, let unknown):
            dropped += 1
            let bytes = ICEBindingResponder.error(to: packet, code: code, unknown: unknown, key: authenticated ? localKey : nil, software: software)
            return [.send(bytes, to: source, from: base)]
        case .valid:
            break
        }
        if packet.iceControlled != nil {
            let bytes = ICEBindingResponder.error(to: packet, code: .roleConflict, unknown: [], key: localKey, software: software)
            return [.send(bytes, to: source, from: base)]
        }
        checksAnswered += 1
        var actions: [ICEAction] = [
            .send(ICEBindingResponder.success(to: packet, source: source, key: localKey, software: software), to: source, from: base),
        ]
        switch state {
        case .waiting where packet.useCandidate:
            select(source: source, base: base, local: local, now: now, actions: &actions)
        case .selected(let pair, _) where pair.remote == source:
            state = .selected(pair, lastCheckAt: now)
        case .selected where packet.useCandidate && nominationPolicy == .followLatest:
            select(source: source, base: base, local: local, now: now, actions: &actions)
        default:
            break
        }
        return actions
    }

    /// Selects the pair `base` ← `source` and reports it.
    private mutating func select(
        source: TransportAddress, base: TransportAddress, local: ICELocalCandidate?, now: ICEInstant, actions: inout [ICEAction]
    ) {
        let remoteKind = remoteCandidates.first { TransportAddress($0.address, port: $0.port) == source }?.kind ?? .peerReflexive
        let pair = ICESelectedPair(local: base, remote: source, localKind: local?.candidate.kind ?? .host, remoteKind: remoteKind)
        state = .selected(pair, lastCheckAt: now)
        actions.append(.selected(pair))
    }

    /// Expires consent.
    public mutating func poll(now: ICEInstant) -> [ICEAction] {
        guard case .selected(_, let lastCheckAt) = state, now >= lastCheckAt + configuration.consentTimeout else { return [] }
        state = .failed(.consentLost)
        return [.failed(reason: .consentLost)]
    }

    /// When `poll` must next be called.
    public func nextTimeout() -> ICEInstant? {
        guard case .selected(_, let lastCheckAt) = state else { return nil }
        return lastCheckAt + configuration.consentTimeout
    }
}
