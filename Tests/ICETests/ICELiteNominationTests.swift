import ICE
import SDP
import STUN
import Testing

/// How the lite responder follows a browser's nominations: `.followLatest` moves the
/// selected pair on an authentic USE-CANDIDATE from a new source, `.firstOnly` (Meta)
/// never moves it, and an unauthenticated nomination moves nothing.
@Suite struct ICELiteNominationTests {
    static let local = try! ICECredentials(ufrag: "wagt", pwd: "wagatebrowserpassword0123")
    static let browserUfrag = "chrm"
    static let key = STUNIntegrityKey(shortTermPassword: local.pwd)
    static let first = TransportAddress("192.168.1.20", port: 50_000)!
    static let second = TransportAddress("10.8.0.5", port: 50_002)!
    static let base = TransportAddress("127.0.0.1", port: 40_000)!

    @Test func followLatestMovesThePairToTheNewNomination() throws {
        var responder = makeResponder(.followLatest)
        let firstActions = responder.receive(try check(useCandidate: true), from: Self.first, to: Self.base, now: .zero)
        #expect(selected(in: firstActions)?.remote == Self.first)
        let secondActions = responder.receive(
            try check(useCandidate: true, id: 2), from: Self.second, to: Self.base, now: .zero + .seconds(3)
        )
        #expect(selected(in: secondActions)?.remote == Self.second)
        #expect(responder.selectedPair?.remote == Self.second)
        #expect(responder.isValidatedRemote(Self.second))
        #expect(!responder.isValidatedRemote(Self.first))
    }

    @Test func aCheckWithoutUseCandidateFromAnotherSourceMovesNothing() throws {
        var responder = makeResponder(.followLatest)
        _ = responder.receive(try check(useCandidate: true), from: Self.first, to: Self.base, now: .zero)
        let actions = responder.receive(try check(useCandidate: false, id: 2), from: Self.second, to: Self.base, now: .zero + .seconds(1))
        #expect(selected(in: actions) == nil)
        #expect(actions.count == 1, "the check is still answered")
        #expect(responder.selectedPair?.remote == Self.first)
    }

    @Test func anUnauthenticatedNominationMovesNothing() throws {
        var responder = makeResponder(.followLatest)
        _ = responder.receive(try check(useCandidate: true), from: Self.first, to: Self.base, now: .zero)
        let forged = try check(useCandidate: true, id: 3, key: STUNIntegrityKey(shortTermPassword: "an-attacker-guessing-the-pwd"))
        let actions = responder.receive(forged, from: Self.second, to: Self.base, now: .zero + .seconds(1))
        #expect(selected(in: actions) == nil)
        #expect(responder.selectedPair?.remote == Self.first)
        #expect(responder.dropped == 1)
    }

    @Test func firstOnlyKeepsTheFirstNomination() throws {
        var responder = makeResponder(.firstOnly)
        _ = responder.receive(try check(useCandidate: true), from: Self.first, to: Self.base, now: .zero)
        let actions = responder.receive(try check(useCandidate: true, id: 2), from: Self.second, to: Self.base, now: .zero + .seconds(1))
        #expect(selected(in: actions) == nil)
        #expect(responder.selectedPair?.remote == Self.first)
    }

    @Test func renominationRefreshesConsentAtTheNewPair() throws {
        var responder = makeResponder(.followLatest)
        _ = responder.receive(try check(useCandidate: true), from: Self.first, to: Self.base, now: .zero)
        _ = responder.receive(try check(useCandidate: true, id: 2), from: Self.second, to: Self.base, now: .zero + .seconds(20))
        #expect(responder.poll(now: .zero + .seconds(35)).isEmpty, "consent counts from the new pair's check")
        #expect(responder.nextTimeout() == .zero + .seconds(50))
    }

    // MARK: - helpers

    func makeResponder(_ policy: ICELiteResponder.NominationPolicy) -> ICELiteResponder {
        let host = try! ICELocalCandidate(host: ICECandidate(
            foundation: "1", priority: ICECandidate.priority(kind: .host, localPreference: 65_535),
            address: Self.base.host, port: Int(Self.base.port), kind: .host
        ))
        return ICELiteResponder(
            localCredentials: Self.local, remoteUfrag: Self.browserUfrag, localCandidates: [host], nominationPolicy: policy
        )
    }

    func check(useCandidate: Bool, id: UInt32 = 1, key: STUNIntegrityKey = key) throws -> [UInt8] {
        var attributes: [STUNAttribute] = [
            .username("\(Self.local.ufrag):\(Self.browserUfrag)"), .priority(0x6E00_00FF), .iceControlling(42),
        ]
        if useCandidate { attributes.append(.useCandidate) }
        let message = STUNMessage(type: .bindingRequest, transactionID: STUNTransactionID(high: 1, low: id), attributes: attributes)
        return try message.encode(integrityKey: key, fingerprint: true)
    }

    func selected(in actions: [ICEAction]) -> ICESelectedPair? {
        for case .selected(let pair) in actions { return pair }
        return nil
    }
}
