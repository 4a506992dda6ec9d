import DTLS
import SRTP
import Testing

/// Keys from a real (in-memory) DTLS handshake feed two SRTP sessions that
/// must interoperate: what one side protects, the other unprotects.
@Suite struct DTLSKeyedSRTPTests {
    /// Runs a DTLS handshake back to back and returns both sides' keys.
    static func handshake() throws -> (client: DTLSSRTPKeys, server: DTLSSRTPKeys) {
        let clientCertificate = try DTLSCertificate(), serverCertificate = try DTLSCertificate()
        let client = try DTLSEndpoint(
            context: DTLSContext(certificate: clientCertificate),
            configuration: .init(role: .client, remoteFingerprints: [serverCertificate.fingerprint]))
        let server = try DTLSEndpoint(
            context: DTLSContext(certificate: serverCertificate),
            configuration: .init(role: .server, remoteFingerprints: [clientCertificate.fingerprint]))
        let now = Duration.seconds(1)
        _ = server.start(now: now)
        var toServer = client.start(now: now).datagrams
        for _ in 0..<10 where !toServer.isEmpty {
            let toClient = toServer.flatMap { server.receive($0, now: now).datagrams }
            toServer = toClient.flatMap { client.receive($0, now: now).datagrams }
        }
        return (try #require(client.keys), try #require(server.keys))
    }

    static func session(_ keys: DTLSSRTPKeys) throws -> SRTPSession {
        let profile = try #require(SRTPProfile(protectionProfileID: keys.profile.rawValue))
        return try SRTPSession(
            profile: profile, localKey: keys.localKey, localSalt: keys.localSalt,
            remoteKey: keys.remoteKey, remoteSalt: keys.remoteSalt)
    }

    @Test func dtlsKeysDriveInteroperableSRTPSessions() throws {
        let keys = try Self.handshake()
        let client = try Self.session(keys.client), server = try Self.session(keys.server)
        #expect(client.profile == .aeadAES128GCM)
        let rtp = SRTPSessionTests.rtp(sequence: 1)
        var packet = rtp
        try client.protectRTP(&packet)
        try server.unprotectRTP(&packet)
        #expect(packet == rtp)
        var reply = SRTPSessionTests.rtp(sequence: 500)
        try server.protectRTP(&reply)
        try client.unprotectRTP(&reply)
        #expect(reply == SRTPSessionTests.rtp(sequence: 500))
        var report = SRTPSessionTests.rtcp
        try server.protectRTCP(&report)
        try client.unprotectRTCP(&report)
        #expect(report == SRTPSessionTests.rtcp)
        #expect(client.stats.failures == 0 && server.stats.failures == 0)
    }
}
