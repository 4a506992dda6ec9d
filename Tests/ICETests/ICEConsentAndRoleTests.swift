import ICE
import SDP
import STUN
import TestSupport
import Testing

/// Consent freshness (RFC 7675) and role conflicts (RFC 8445 §7.2.5.1, §7.3.1.1).
@Suite struct ICEConsentAndRoleTests {
    static let agentKey = STUNIntegrityKey(shortTermPassword: BackToBack.agentCredentials.pwd)

    @Test func consentChecksKeepTheCallWhileThePeerAnswers() throws {
        var net = BackToBack(remoteCandidates: [BackToBack.candidate("10.0.0.2")])
        net.start()
        net.run(for: .seconds(1)) { $0.agentSelected != nil }
        let selectedAt = net.now
        let sentBefore = net.agentSent.count
        net.run(for: .seconds(61))
        #expect(net.agentFailure == nil)
        #expect(net.responder.failureReason == nil)
        // One check every 4-6 s: 10 to 15 in 61 s.
        let consentChecks = net.agentSent.count - sentBefore
        #expect((10...15).contains(consentChecks))
        let gaps = zip(net.agentSent.dropFirst(sentBefore), net.agentSent.dropFirst(sentBefore + 1)).map { $1.deliverAt - $0.deliverAt }
        #expect(gaps.allSatisfy { $0 >= .seconds(4) && $0 <= .seconds(6) })
        #expect(net.agentSent[sentBefore].deliverAt - selectedAt >= .seconds(4))
    }

    @Test func consentLostWhenTheResponderGoesSilent() throws {
        var net = BackToBack(remoteCandidates: [BackToBack.candidate("10.0.0.2")])
        net.start()
        net.run(for: .seconds(1)) { $0.agentSelected != nil }
        net.run(for: .seconds(12))
        let silentFrom = net.now
        net.responderSilent = true
        net.run(for: .seconds(60)) { $0.agentFailure != nil }
        let (time, reason) = try #require(net.agentFailure)
        #expect(reason == .consentLost)
        #expect(reason.description.contains("consent lost"))
        #expect(time - silentFrom >= .seconds(24) && time - silentFrom <= .seconds(30))
        #expect(net.agent.failureReason == .consentLost)
    }

    @Test func responderReportsConsentLossWhenChecksStop() throws {
        var net = BackToBack(remoteCandidates: [BackToBack.candidate("10.0.0.2")])
        net.start()
        net.run(for: .seconds(1)) { $0.responderSelected != nil }
        net.run(for: .seconds(10))
        net.agent.close()
        let closedAt = net.now
        net.run(for: .seconds(60)) { $0.responder.failureReason != nil }
        #expect(net.responder.failureReason == .consentLost)
        #expect(net.now - closedAt <= .seconds(30))
        #expect(net.responderEvents.contains { $0.1 == .failed(reason: .consentLost) })
    }

    @Test func agentStartedControlledSwitchesOnTheLitePeers487() throws {
        var net = BackToBack(remoteCandidates: [BackToBack.candidate("10.0.0.2")], agentRole: .controlled)
        net.start()
        net.run(for: .seconds(2)) { $0.agentSelected != nil }
        #expect(net.agentEvents.first?.1 == .roleChanged(.controlling))
        #expect(net.agent.role == .controlling)
        #expect(net.agentSelected?.remote == TransportAddress("10.0.0.2", port: 6000))
    }

    @Test func incomingControllingCheckWithLowerTieBreakerGets487() throws {
        var agent = makeAgent(tieBreaker: 1000)
        let response = try answer(&agent, attributes: [.iceControlling(999)])
        #expect(response.type == .bindingError)
        #expect(response.errorCode?.code == 487)
        #expect(response.isAuthentic(key: Self.agentKey))
        #expect(agent.role == .controlling)
    }

    @Test func incomingControllingCheckWithHigherTieBreakerMakesUsControlled() throws {
        var agent = makeAgent(tieBreaker: 1000)
        var actions: [ICEAction] = []
        let response = try answer(&agent, attributes: [.iceControlling(1001)], actions: &actions)
        #expect(response.type == .bindingSuccess)
        #expect(agent.role == .controlled)
        #expect(actions.contains(.roleChanged(.controlled)))
    }

    @Test func controlledAgentSelectsOnUseCandidate() throws {
        var agent = makeAgent(tieBreaker: 5, role: .controlled)
        var actions: [ICEAction] = []
        _ = try answer(&agent, attributes: [.iceControlling(9), .useCandidate], actions: &actions)
        // The triggered check goes to the peer; its success selects the pair.
        let check = try #require(actions.compactMap { action -> STUNPacket? in
            guard case .send(let bytes, _, _) = action, let packet = try? STUNPacket(parsing: bytes), packet.type == .bindingRequest else { return nil }
            return packet
        }.first)
        #expect(check.iceControlled == 5)
        let success = try STUNMessage(type: .bindingSuccess, transactionID: check.transactionID, attributes: [
            .xorMappedAddress(TransportAddress("10.0.0.1", port: 5000)!),
        ]).encode(integrityKey: STUNIntegrityKey(shortTermPassword: BackToBack.responderCredentials.pwd), fingerprint: true)
        let result = agent.receive(success, from: TransportAddress("10.0.0.2", port: 6000)!, now: .zero + .milliseconds(30))
        #expect(result.contains { if case .selected = $0 { return true } else { return false } })
    }

    @Test func rejectsChecksWithAWrongPasswordOrUsername() throws {
        var agent = makeAgent(tieBreaker: 1)
        let wrongKey = STUNIntegrityKey(shortTermPassword: "not-the-password-at-all")
        let unauthenticated = try answer(&agent, attributes: [.iceControlled(1)], key: wrongKey)
        #expect(unauthenticated.errorCode?.code == 401)
        let wrongUser = try answer(&agent, attributes: [.iceControlled(1)], username: "nope:meta")
        #expect(wrongUser.errorCode?.code == 401)
        let unknown = try answer(&agent, attributes: [.other(type: 0x0031, value: [])])
        #expect(unknown.errorCode?.code == 420)
        #expect(try STUNMessage(unknown).first(.unknownAttributes) == .unknownAttributes([0x0031]))
        #expect(agent.statistics.dropped == 3)
    }

    @Test func credentials() throws {
        var generator = SplitMix64(seed: 3)
        let credentials = ICECredentials.random(using: &generator)
        #expect(credentials.ufrag.count == 8 && credentials.pwd.count == 24)
        #expect(try ICECredentials(ufrag: credentials.ufrag, pwd: credentials.pwd) == credentials)
        #expect(throws: ICEError.self) { try ICECredentials(ufrag: "abc", pwd: credentials.pwd) }
        #expect(throws: ICEError.self) { try ICECredentials(ufrag: "abcd", pwd: "short") }
        #expect(throws: ICEError.self) { try ICECredentials(ufrag: "ab:d", pwd: credentials.pwd) }
    }

    @Test func gatewayCandidatesHaveBases() throws {
        let candidates = ICELocalCandidate.gatewayCandidates(
            hostAddresses: ["10.0.0.1", "fd00::1"], port: 5000, externalAddress: "203.0.113.7", externalKind: .host
        )
        #expect(candidates.map(\.candidate.address) == ["203.0.113.7", "10.0.0.1", "fd00::1"])
        #expect(candidates[0].base == TransportAddress("10.0.0.1", port: 5000))
        #expect(candidates[2].base == TransportAddress("fd00::1", port: 5000))
    }

    // MARK: - helpers

    func makeAgent(tieBreaker: UInt64, role: ICERole = .controlling) -> ICEAgent {
        var agent = ICEAgent(
            localCredentials: BackToBack.agentCredentials,
            localCandidates: ICELocalCandidate.gatewayCandidates(hostAddresses: ["10.0.0.1"], port: 5000),
            role: role, tieBreaker: tieBreaker, random: SplitMix64(seed: 9)
        )
        _ = agent.start(remote: ICERemoteDescription(
            ufrag: "meta", pwd: BackToBack.responderCredentials.pwd, candidates: [], isLite: false
        ), now: .zero)
        return agent
    }

    func answer(
        _ agent: inout ICEAgent, attributes: [STUNAttribute], key: STUNIntegrityKey = agentKey, username: String = "gwAg:meta"
    ) throws -> STUNPacket {
        var actions: [ICEAction] = []
        return try answer(&agent, attributes: attributes, key: key, username: username, actions: &actions)
    }

    func answer(
        _ agent: inout ICEAgent, attributes: [STUNAttribute], key: STUNIntegrityKey = agentKey, username: String = "gwAg:meta",
        actions: inout [ICEAction]
    ) throws -> STUNPacket {
        let peer = TransportAddress("10.0.0.2", port: 6000)!
        let request = STUNMessage(
            type: .bindingRequest, transactionID: STUNTransactionID(high: 7, low: 7),
            attributes: [.username(username), .priority(0x6E00_00FF)] + attributes
        )
        actions = agent.receive(try request.encode(integrityKey: key, fingerprint: true), from: peer, now: .zero + .milliseconds(10))
        let responses = actions.compactMap { action -> STUNPacket? in
            guard case .send(let bytes, let to, _) = action, to == peer, let packet = try? STUNPacket(parsing: bytes),
                  packet.type.isResponse else { return nil }
            return packet
        }
        return try #require(responses.first)
    }
}
