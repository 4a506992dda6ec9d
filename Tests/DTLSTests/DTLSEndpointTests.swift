import DTLS
import Foundation
import Testing

/// In-memory DTLS-SRTP handshakes, back to back.
@Suite struct DTLSEndpointTests {
    static let a = DTLSHarness.certificateA
    static let b = DTLSHarness.certificateB

    @Test(arguments: [true, false])
    func handshakeExportsMatchingKeysInBothRoleAssignments(aIsClient: Bool) throws {
        let harness = try DTLSHarness(clientCertificate: aIsClient ? Self.a : Self.b, serverCertificate: aIsClient ? Self.b : Self.a)
        harness.start()
        harness.pump()
        let clientKeys = try #require(harness.clientEvents.first?.keys)
        let serverKeys = try #require(harness.serverEvents.first?.keys)
        #expect(clientKeys.profile == serverKeys.profile)
        #expect(clientKeys.profile == .aeadAES128GCM)  // first in our preference list
        #expect(clientKeys.localKey == serverKeys.remoteKey && clientKeys.localSalt == serverKeys.remoteSalt)
        #expect(clientKeys.remoteKey == serverKeys.localKey && clientKeys.remoteSalt == serverKeys.localSalt)
        #expect(clientKeys.localKey != clientKeys.remoteKey)
        #expect(clientKeys.localKey.count == 16 && clientKeys.localSalt.count == 12)
        #expect(harness.client.isConnected && harness.server.isConnected)
        #expect(harness.client.nextTimeout(now: harness.now) == nil)
        #expect(harness.clientEvents.count == 1 && harness.serverEvents.count == 1)
    }

    @Test func aesCMProfileIsNegotiatedWhenThePeerOffersOnlyIt() throws {
        let harness = try DTLSHarness(clientCertificate: Self.a, serverCertificate: Self.b, clientProfiles: [.aes128CMHMACSHA1_80])
        harness.start()
        harness.pump()
        let clientKeys = try #require(harness.client.keys), serverKeys = try #require(harness.server.keys)
        #expect(clientKeys.profile == .aes128CMHMACSHA1_80 && serverKeys.profile == .aes128CMHMACSHA1_80)
        #expect(clientKeys.localSalt.count == 14 && clientKeys.localSalt == serverKeys.remoteSalt)
        #expect(clientKeys.localKey == serverKeys.remoteKey && clientKeys.remoteKey == serverKeys.localKey)
    }

    @Test func noCommonSRTPProfileFailsWithoutKeys() throws {
        let harness = try DTLSHarness(
            clientCertificate: Self.a, serverCertificate: Self.b,
            clientProfiles: [.aeadAES128GCM], serverProfiles: [.aes128CMHMACSHA1_80])
        harness.start()
        harness.pump()
        let error = try #require(harness.clientEvents.first?.error)
        #expect(error.kind == .handshake && error.reason.contains("SRTP"))
        #expect(harness.client.keys == nil && harness.server.keys == nil)
    }

    @Test func wrongFingerprintFailsWithReasonAndNoKeys() throws {
        let wrong = DTLSFingerprint(bytes: [UInt8](repeating: 0xAB, count: 32))
        let harness = try DTLSHarness(clientCertificate: Self.a, serverCertificate: Self.b, clientExpects: wrong)
        harness.start()
        harness.pump()
        let error = try #require(harness.clientEvents.first?.error)
        #expect(error.kind == .fingerprintMismatch)
        #expect(error.reason.contains("AB:AB:AB"))
        #expect(error.reason.contains(Self.b.fingerprint.hexString))
        #expect(harness.client.keys == nil && !harness.client.isConnected)
        #expect(harness.client.failure == error)
        #expect(!harness.clientEvents.contains { $0.keys != nil })
    }

    @Test func lostFirstFlightCompletesAfterTimerRetransmission() async throws {
        let harness = try DTLSHarness(clientCertificate: Self.a, serverCertificate: Self.b, initialRetransmitTimeout: .milliseconds(30))
        harness.dropToServer = { _ in true }
        harness.start()
        #expect(harness.toServer.isEmpty)  // the ClientHello was lost
        let deadline = try #require(harness.client.nextTimeout(now: harness.now))
        #expect(deadline > harness.now && deadline <= harness.now + .milliseconds(30))
        harness.dropToServer = { _ in false }
        // OpenSSL 3.0 runs its DTLS timer on the wall clock: wait it out for real.
        try await Task.sleep(for: .milliseconds(45))
        harness.now = deadline
        harness.take(harness.client.handleTimeout(now: harness.now), fromClient: true)
        #expect(!harness.toServer.isEmpty)  // retransmitted ClientHello
        harness.pump()
        #expect(harness.client.isConnected && harness.server.isConnected)
        #expect(harness.client.keys?.localKey == harness.server.keys?.remoteKey)
    }

    @Test func lostFinalFlightIsResentByTheConnectedServer() async throws {
        let harness = try DTLSHarness(clientCertificate: Self.a, serverCertificate: Self.b, initialRetransmitTimeout: .milliseconds(30))
        let server = harness.server
        harness.dropToClient = { _ in server.isConnected }  // the server's CCS + Finished are lost
        harness.start()
        harness.pump()
        #expect(server.isConnected && !harness.client.isConnected)
        harness.dropToClient = { _ in false }
        // OpenSSL 3.0 runs its DTLS timer on the wall clock: wait it out for real.
        try await Task.sleep(for: .milliseconds(45))
        harness.take(harness.client.handleTimeout(now: harness.now + .milliseconds(30)), fromClient: true)
        harness.pump()
        #expect(harness.client.isConnected)
        #expect(harness.client.keys?.localKey == server.keys?.remoteKey)
        #expect(harness.serverEvents.count == 1)
    }

    @Test func garbageDatagramsAreDroppedWithoutHarm() throws {
        let harness = try DTLSHarness(clientCertificate: Self.a, serverCertificate: Self.b)
        var generator = SystemRandomNumberGenerator()
        let garbage: [[UInt8]] = [
            [0x16], [0x16, 0xFE, 0xFD], [UInt8](repeating: 0xFF, count: 13),
            [0x16, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x00, 1, 2, 3],  // length beyond the datagram
            (0..<200).map { _ in UInt8.random(in: 0...255, using: &generator) },
        ]
        for datagram in garbage { #expect(harness.server.receive(datagram, now: harness.now).event == nil) }
        harness.start()
        harness.pump()
        #expect(harness.client.isConnected && harness.server.isConnected)
        for datagram in garbage {
            #expect(harness.server.receive(datagram, now: harness.now).event == nil)
            #expect(harness.client.receive(datagram, now: harness.now).event == nil)
        }
        #expect(harness.client.isConnected && harness.server.isConnected)
    }

    @Test func closeNotifyIsReportedAsClosed() throws {
        let harness = try DTLSHarness(clientCertificate: Self.a, serverCertificate: Self.b)
        harness.start()
        harness.pump()
        harness.take(harness.client.close(), fromClient: true)
        harness.pump()
        #expect(harness.serverEvents.last == .closed)
    }

    @Test func handshakeTimesOutAgainstASilentPeer() throws {
        let harness = try DTLSHarness(clientCertificate: Self.a, serverCertificate: Self.b)
        harness.start()
        let output = harness.client.handleTimeout(now: harness.now + .seconds(31))
        #expect(output.event?.error?.kind == .timeout)
        #expect(harness.client.nextTimeout(now: harness.now) == nil)
    }

    @Test func configurationWithoutFingerprintIsRefused() throws {
        #expect(throws: DTLSError.self) {
            try DTLSEndpoint(context: DTLSContext(certificate: Self.a), configuration: .init(role: .client, remoteFingerprints: []))
        }
    }
}
