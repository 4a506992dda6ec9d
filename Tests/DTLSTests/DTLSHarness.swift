import DTLS
import Testing

/// Two endpoints wired back to back through arrays, with a fake clock.
/// `drop` decides per datagram whether the "network" loses it.
final class DTLSHarness {
    let client: DTLSEndpoint
    let server: DTLSEndpoint
    var now: Duration = .seconds(1_000)
    var toClient: [[UInt8]] = []
    var toServer: [[UInt8]] = []
    var clientEvents: [DTLSEvent] = []
    var serverEvents: [DTLSEvent] = []
    var dropToServer: ([UInt8]) -> Bool = { _ in false }
    var dropToClient: ([UInt8]) -> Bool = { _ in false }

    static let certificateA = try! DTLSCertificate(commonName: "a")
    static let certificateB = try! DTLSCertificate(commonName: "b")

    /// `clientCertificate` plays the client; each side expects the other's fingerprint
    /// unless `clientExpects` overrides what the client checks.
    init(
        clientCertificate: DTLSCertificate, serverCertificate: DTLSCertificate,
        clientExpects: DTLSFingerprint? = nil, initialRetransmitTimeout: Duration = .seconds(1),
        clientProfiles: [DTLSSRTPProfile] = [.aeadAES128GCM, .aes128CMHMACSHA1_80],
        serverProfiles: [DTLSSRTPProfile] = [.aeadAES128GCM, .aes128CMHMACSHA1_80]
    ) throws {
        client = try DTLSEndpoint(
            context: DTLSContext(certificate: clientCertificate, srtpProfiles: clientProfiles),
            configuration: .init(role: .client, remoteFingerprints: [clientExpects ?? serverCertificate.fingerprint],
                                 initialRetransmitTimeout: initialRetransmitTimeout))
        server = try DTLSEndpoint(
            context: DTLSContext(certificate: serverCertificate, srtpProfiles: serverProfiles),
            configuration: .init(role: .server, remoteFingerprints: [clientCertificate.fingerprint],
                                 initialRetransmitTimeout: initialRetransmitTimeout))
    }

    func start() {
        take(server.start(now: now), fromClient: false)
        take(client.start(now: now), fromClient: true)
    }

    func take(_ output: DTLSOutput, fromClient: Bool) {
        if fromClient {
            toServer += output.datagrams.filter { !dropToServer($0) }
            if let event = output.event { clientEvents.append(event) }
        } else {
            toClient += output.datagrams.filter { !dropToClient($0) }
            if let event = output.event { serverEvents.append(event) }
        }
    }

    /// Delivers queued datagrams both ways until the network is quiet.
    func pump(maxRounds: Int = 20) {
        for _ in 0..<maxRounds where !(toServer.isEmpty && toClient.isEmpty) {
            now += .milliseconds(1)
            let forServer = toServer, forClient = toClient
            toServer = []
            toClient = []
            for datagram in forServer { take(server.receive(datagram, now: now), fromClient: false) }
            for datagram in forClient { take(client.receive(datagram, now: now), fromClient: true) }
        }
    }
}

extension DTLSEvent {
    /// The keys of a `.connected` event.
    var keys: DTLSSRTPKeys? {
        if case .connected(let keys) = self { keys } else { nil }
    }

    /// The error of a `.failed` event.
    var error: DTLSError? {
        if case .failed(let error) = self { error } else { nil }
    }
}
