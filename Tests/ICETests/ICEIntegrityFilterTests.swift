import ICE
import SDP
import STUN
import Testing

/// STUN is taken only with a valid FINGERPRINT and MESSAGE-INTEGRITY for our
/// credentials, and non-STUN traffic only from an ICE-validated address.
@Suite struct ICEIntegrityFilterTests {
    static let agentKey = STUNIntegrityKey(shortTermPassword: BackToBack.agentCredentials.pwd)
    static let stranger = TransportAddress("203.0.113.7", port: 40000)!

    static func request(key: STUNIntegrityKey?, fingerprint: Bool, username: String = "gwAg:meta") throws -> [UInt8] {
        let message = STUNMessage(type: .bindingRequest, transactionID: STUNTransactionID(high: 3, low: 9),
                                  attributes: [.username(username), .priority(0x6E00_00FF), .iceControlled(42)])
        return try message.encode(integrityKey: key, fingerprint: fingerprint)
    }

    static func responses(_ actions: [ICEAction]) -> [STUNPacket] {
        actions.compactMap { action in
            guard case .send(let bytes, _, _) = action else { return nil }
            return try? STUNPacket(parsing: bytes)
        }.filter { $0.type.isResponse }
    }

    @Test func aCheckWithoutFingerprintIsDroppedUnanswered() throws {
        var net = BackToBack(remoteCandidates: [BackToBack.candidate("10.0.0.2")])
        let before = net.agent.statistics.dropped
        let actions = net.agent.receive(try Self.request(key: Self.agentKey, fingerprint: false), from: Self.stranger, now: .zero)
        #expect(Self.responses(actions).isEmpty)
        #expect(net.agent.statistics.dropped == before + 1)
        var lite = net.responder
        #expect(Self.responses(lite.receive(try Self.request(key: nil, fingerprint: false), from: Self.stranger, now: .zero)).isEmpty)
        net.responder = lite
    }

    @Test func aCheckWithAWrongPasswordGetsAnUnauthenticated401AndTeachesNothing() throws {
        var net = BackToBack(remoteCandidates: [BackToBack.candidate("10.0.0.2")])
        let wrong = STUNIntegrityKey(shortTermPassword: "not-the-password-at-all-123")
        let actions = net.agent.receive(try Self.request(key: wrong, fingerprint: true), from: Self.stranger, now: .zero)
        let answer = try #require(Self.responses(actions).first)
        #expect(answer.type == .bindingError && answer.errorCode?.code == 401)
        #expect(!answer.hasIntegrity)
        #expect(!net.agent.isValidatedRemote(Self.stranger))
        #expect(net.agent.statistics.requestsAnswered == 0)
    }

    @Test func aForgedSuccessResponseIsIgnored() throws {
        var net = BackToBack(remoteCandidates: [BackToBack.candidate("10.0.0.2")])
        net.dropAll = true
        net.start()
        let check = try #require(net.agentSent.first)
        let transaction = try STUNPacket(parsing: check.bytes).transactionID
        // The attacker guessed the transaction but not the peer's password.
        let forged = STUNMessage(type: .bindingSuccess, transactionID: transaction, attributes: [.xorMappedAddress(check.from)])
        let wrong = STUNIntegrityKey(shortTermPassword: "guessed-password-0123456789")
        for bytes in [try forged.encode(integrityKey: wrong, fingerprint: true), try forged.encode(integrityKey: nil, fingerprint: true)] {
            let actions = net.agent.receive(bytes, from: check.to, now: net.now)
            #expect(!actions.contains { if case .selected = $0 { true } else { false } })
        }
        #expect(!net.agent.isValidatedRemote(check.to))
        #expect(net.agent.selectedPair == nil)
    }

    @Test func onlyTheSelectedRemoteIsTrustedOnceSelected() throws {
        var net = BackToBack(remoteCandidates: [BackToBack.candidate("10.0.0.2")])
        let peer = TransportAddress("10.0.0.2", port: 6000)!
        #expect(!net.agent.isValidatedRemote(peer))
        net.start()
        net.run(for: .seconds(2)) { $0.agentSelected != nil }
        #expect(net.agent.isValidatedRemote(peer))
        #expect(!net.agent.isValidatedRemote(Self.stranger))
        #expect(!net.agent.isValidatedRemote(TransportAddress("10.0.0.2", port: 6001)!))
        net.run(for: .milliseconds(50))
        #expect(net.responder.isValidatedRemote(TransportAddress("10.0.0.1", port: 5000)!))
        #expect(!net.responder.isValidatedRemote(Self.stranger))
    }
}
