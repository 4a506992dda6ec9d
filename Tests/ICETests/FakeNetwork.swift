import ICE
import SDP
import STUN
import TestSupport

/// A controlling `ICEAgent` and an `ICELiteResponder` joined by an in-memory
/// network with a simulated clock: 10 ms one way, optional drops and NAT.
struct BackToBack {
    struct Datagram {
        var bytes: [UInt8]
        var from: TransportAddress
        var to: TransportAddress
        var deliverAt: ICEInstant
        var toAgent: Bool
    }

    static let agentCredentials = try! ICECredentials(ufrag: "gwAg", pwd: "gatewaypassword0123456789")
    static let responderCredentials = try! ICECredentials(ufrag: "meta", pwd: "whatsapppassword012345678")

    var agent: ICEAgent
    var responder: ICELiteResponder
    var now = ICEInstant.zero
    var queue: [Datagram] = []
    /// Addresses where a datagram reaches the responder.
    var responderAddresses: Set<TransportAddress>
    /// Addresses where a datagram reaches the agent (its bases).
    var agentAddresses: Set<TransportAddress>
    /// Agent base → public address (a NAT in front of the agent).
    var agentNAT: [TransportAddress: TransportAddress] = [:]
    /// Destinations whose datagrams are lost.
    var unreachable: Set<TransportAddress> = []
    /// Drop everything the responder sends.
    var responderSilent = false
    /// Drop everything.
    var dropAll = false
    var agentEvents: [(ICEInstant, ICEAction)] = []
    var responderEvents: [(ICEInstant, ICEAction)] = []
    var agentSent: [Datagram] = []

    /// A gateway at 10.0.0.1:5000 and a lite peer at 10.0.0.2:6000 advertising `remoteCandidates`.
    init(
        remoteCandidates: [ICECandidate], responderAddress: TransportAddress = TransportAddress("10.0.0.2", port: 6000)!,
        agentRole: ICERole = .controlling, localHosts: [String] = ["10.0.0.1"]
    ) {
        let locals = ICELocalCandidate.gatewayCandidates(hostAddresses: localHosts, port: 5000)
        agent = ICEAgent(
            localCredentials: Self.agentCredentials, localCandidates: locals, role: agentRole,
            random: SplitMix64(seed: 1)
        )
        responder = ICELiteResponder(
            localCredentials: Self.responderCredentials, remoteUfrag: Self.agentCredentials.ufrag,
            localCandidates: [try! ICELocalCandidate(host: Self.candidate(responderAddress.host, port: Int(responderAddress.port)))],
            remoteCandidates: locals.map(\.candidate)
        )
        responderAddresses = Set(remoteCandidates.compactMap { TransportAddress($0.address, port: $0.port) } + [responderAddress])
        agentAddresses = Set(locals.map(\.base))
        self.remote = ICERemoteDescription(
            ufrag: Self.responderCredentials.ufrag, pwd: Self.responderCredentials.pwd,
            candidates: remoteCandidates, isLite: true
        )
    }

    var remote: ICERemoteDescription

    static func candidate(_ address: String, port: Int = 6000, foundation: String = "1", preference: UInt16 = 65535) -> ICECandidate {
        ICECandidate(
            foundation: foundation, priority: ICECandidate.priority(kind: .host, localPreference: preference),
            address: address, port: port, kind: .host
        )
    }

    mutating func start() {
        perform(agent.start(remote: remote, now: now), fromAgent: true)
    }

    mutating func perform(_ actions: [ICEAction], fromAgent: Bool) {
        for action in actions {
            guard case .send(let bytes, let to, let from) = action else {
                if fromAgent { agentEvents.append((now, action)) } else { responderEvents.append((now, action)) }
                continue
            }
            route(Datagram(bytes: bytes, from: from, to: to, deliverAt: now + .milliseconds(10), toAgent: !fromAgent))
        }
    }

    mutating func route(_ datagram: Datagram) {
        var datagram = datagram
        if datagram.toAgent {
            guard !responderSilent else { return }
            if let base = agentNAT.first(where: { $0.value == datagram.to })?.key { datagram.to = base }
            guard agentAddresses.contains(datagram.to) else { return }
        } else {
            agentSent.append(datagram)
            datagram.from = agentNAT[datagram.from] ?? datagram.from
            guard responderAddresses.contains(datagram.to) else { return }
        }
        guard !dropAll, !unreachable.contains(datagram.to) else { return }
        queue.append(datagram)
    }

    /// Runs the simulated clock until `limit` or until `done` holds.
    mutating func run(for duration: Duration, until done: (BackToBack) -> Bool = { _ in false }) {
        let limit = now + duration
        while !done(self) {
            let candidates = [agent.nextTimeout(), responder.nextTimeout(), queue.map(\.deliverAt).min()].compactMap { $0 }
            guard let next = candidates.min(), next <= limit else { break }
            now = max(now, next)
            let due = queue.filter { $0.deliverAt <= now }
            queue.removeAll { $0.deliverAt <= now }
            for datagram in due {
                if datagram.toAgent {
                    perform(agent.receive(datagram.bytes, from: datagram.from, to: datagram.to, now: now), fromAgent: true)
                } else {
                    perform(responder.receive(datagram.bytes, from: datagram.from, to: datagram.to, now: now), fromAgent: false)
                }
            }
            perform(agent.poll(now: now), fromAgent: true)
            perform(responder.poll(now: now), fromAgent: false)
        }
    }

    var agentSelected: ICESelectedPair? {
        for (_, action) in agentEvents { if case .selected(let pair) = action { return pair } }
        return nil
    }

    var agentFailure: (ICEInstant, ICEFailureReason)? {
        for (time, action) in agentEvents { if case .failed(let reason) = action { return (time, reason) } }
        return nil
    }

    var responderSelected: ICESelectedPair? {
        for (_, action) in responderEvents { if case .selected(let pair) = action { return pair } }
        return nil
    }
}
