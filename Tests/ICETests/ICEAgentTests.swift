import ICE
import SDP
import STUN
import Testing

/// The controlling agent against the lite responder, over the fake network.
@Suite struct ICEAgentTests {
    @Test func selectsThePair() throws {
        var net = BackToBack(remoteCandidates: [BackToBack.candidate("10.0.0.2")])
        net.start()
        net.run(for: .seconds(2)) { $0.agentSelected != nil }
        let pair = try #require(net.agentSelected)
        #expect(pair.local == TransportAddress("10.0.0.1", port: 5000))
        #expect(pair.remote == TransportAddress("10.0.0.2", port: 6000))
        #expect(pair.remoteKind == .host)
        #expect(net.now < ICEInstant.zero + .milliseconds(200))
        net.run(for: .milliseconds(50))
        #expect(net.responderSelected?.remote == TransportAddress("10.0.0.1", port: 5000))
        #expect(net.responderSelected?.localKind == .host)
        #expect(net.agent.selectedPair == pair)
    }

    @Test func anotherPairWinsWhenOneCandidateIsUnreachable() throws {
        var net = BackToBack(remoteCandidates: [
            BackToBack.candidate("192.0.2.99", foundation: "1", preference: 65535),
            BackToBack.candidate("10.0.0.2", foundation: "2", preference: 100),
        ])
        net.unreachable = [TransportAddress("192.0.2.99", port: 6000)!]
        net.start()
        net.run(for: .seconds(3)) { $0.agentSelected != nil }
        let pair = try #require(net.agentSelected)
        #expect(pair.remote == TransportAddress("10.0.0.2", port: 6000))
        #expect(net.agentFailure == nil)
    }

    @Test func failsWithinItsBoundWhenEverythingIsDropped() throws {
        var net = BackToBack(remoteCandidates: [
            BackToBack.candidate("10.0.0.2", foundation: "1"), BackToBack.candidate("10.0.0.3", foundation: "2", preference: 9),
        ])
        net.dropAll = true
        net.start()
        net.run(for: .seconds(20)) { $0.agentFailure != nil }
        let (time, reason) = try #require(net.agentFailure)
        // Not one check answered: a peer behind a firewall that drops UDP, told apart from error responses.
        #expect(reason == .unanswered)
        #expect(time <= ICEInstant.zero + .seconds(10))
        #expect(reason.description.contains("no connectivity check was answered"))
        // Each pair: Rc = 7 transmissions.
        #expect(net.agentSent.count == 14)
        #expect(net.agent.nextTimeout() == nil)
        #expect(net.agent.poll(now: net.now + .seconds(60)).isEmpty)
    }

    @Test func checksArePacedByTa() throws {
        let candidates = (1...4).map { BackToBack.candidate("10.0.1.\($0)", foundation: "\($0)", preference: UInt16(100 - $0)) }
        var net = BackToBack(remoteCandidates: candidates)
        net.dropAll = true
        net.start()
        net.run(for: .milliseconds(160))
        let firstSends = net.agentSent.filter { $0.deliverAt <= ICEInstant.zero + .milliseconds(170) }
        let destinations = firstSends.map(\.to)
        // 4 new checks at 0, 50, 100, 150 ms, plus retransmissions of the first ones.
        #expect(Set(destinations).count == 4)
        #expect(destinations.first == TransportAddress("10.0.1.1", port: 6000))
    }

    @Test func peerReflexiveLocalCandidateBehindNAT() throws {
        var net = BackToBack(remoteCandidates: [BackToBack.candidate("10.0.0.2")])
        let publicAddress = TransportAddress("198.51.100.1", port: 40000)!
        net.agentNAT = [TransportAddress("10.0.0.1", port: 5000)!: publicAddress]
        net.start()
        net.run(for: .seconds(2)) { $0.agentSelected != nil && $0.responderSelected != nil }
        let pair = try #require(net.agentSelected)
        #expect(pair.localKind == .peerReflexive)
        #expect(pair.local == TransportAddress("10.0.0.1", port: 5000))
        #expect(net.agent.localCandidates.contains { $0.address == publicAddress && $0.candidate.kind == .peerReflexive })
        #expect(net.responderSelected?.remote == publicAddress)
        #expect(net.responderSelected?.remoteKind == .peerReflexive)
    }

    @Test func peerReflexiveRemoteCandidateFromAnIncomingCheck() throws {
        // The peer advertises an address we cannot reach, but checks us from another.
        var net = BackToBack(remoteCandidates: [BackToBack.candidate("192.0.2.99")])
        net.unreachable = [TransportAddress("192.0.2.99", port: 6000)!]
        net.start()
        let actual = TransportAddress("10.0.0.2", port: 6000)!
        let check = STUNMessage(type: .bindingRequest, transactionID: STUNTransactionID(high: 1, low: 2), attributes: [
            .username("gwAg:meta"), .priority(0x6E00_00FF), .iceControlled(42),
        ])
        let bytes = try check.encode(integrityKey: STUNIntegrityKey(shortTermPassword: BackToBack.agentCredentials.pwd), fingerprint: true)
        net.run(for: .milliseconds(20))
        let actions = net.agent.receive(bytes, from: actual, to: TransportAddress("10.0.0.1", port: 5000), now: net.now)
        let answer = try #require(actions.compactMap { action -> STUNPacket? in
            guard case .send(let bytes, let to, _) = action, to == actual else { return nil }
            return try? STUNPacket(parsing: bytes)
        }.first)
        #expect(answer.type == .bindingSuccess)
        #expect(answer.xorMappedAddress == actual)
        #expect(answer.isAuthentic(key: STUNIntegrityKey(shortTermPassword: BackToBack.agentCredentials.pwd)))
        net.perform(actions, fromAgent: true)
        net.run(for: .seconds(2)) { $0.agentSelected != nil }
        let pair = try #require(net.agentSelected)
        #expect(pair.remote == actual)
        #expect(pair.remoteKind == .peerReflexive)
    }

    @Test func skipsFamiliesWithoutALocalAddress() throws {
        // Meta's shape: one IPv4 and one IPv6 host candidate; we only have IPv4.
        var net = BackToBack(remoteCandidates: [
            BackToBack.candidate("2001:db8::2", foundation: "2"), BackToBack.candidate("10.0.0.2", foundation: "1", preference: 1),
        ])
        net.start()
        net.run(for: .seconds(2)) { $0.agentSelected != nil }
        #expect(net.agentSelected?.remote == TransportAddress("10.0.0.2", port: 6000))
        #expect(net.agentSent.allSatisfy { !$0.to.isIPv6 })
    }

    @Test func ipv6OnlyPeerSelectsOverIPv6() throws {
        let peer = TransportAddress("2001:db8::2", port: 6000)!
        var net = BackToBack(remoteCandidates: [BackToBack.candidate("2001:db8::2")], responderAddress: peer, localHosts: ["2001:db8::1"])
        net.start()
        net.run(for: .seconds(2)) { $0.agentSelected != nil }
        #expect(net.agentSelected?.remote == peer)
        #expect(net.agentSelected?.local == TransportAddress("2001:db8::1", port: 5000))
    }

    @Test func noCommonFamilyFailsAtOnceWithALitePeer() throws {
        var net = BackToBack(remoteCandidates: [BackToBack.candidate("2001:db8::2"), BackToBack.candidate("peer.local")])
        net.start()
        let (time, reason) = try #require(net.agentFailure)
        #expect(reason == .noUsableCandidates)
        #expect(time == .zero)
    }
}
