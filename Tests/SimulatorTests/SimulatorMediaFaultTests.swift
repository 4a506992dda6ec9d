import Crypto
import Foundation
import Simulator
import Testing
import WhatsAppCloud

/// Media faults of the simulated relay change the SDP of the next call only.
@Suite struct SimulatorMediaFaultTests {
    let user = "+447700900123"

    /// The answer SDP of a new business-initiated call, which is then terminated.
    func answer(_ harness: inout Harness) async throws -> String {
        let callID = try await harness.client.connect(to: user, offer: Harness.sdp())
        let webhooks = try await harness.next(2)
        try await harness.client.terminate(callID: callID)
        _ = try await harness.next(1)
        guard case .callConnect(let connect)? = webhooks.last, let sdp = connect.session?.sdp else {
            Issue.record("no connect webhook with an answer: \(webhooks)")
            return ""
        }
        return sdp
    }

    func lines(_ sdp: String, _ prefix: String) -> [String] {
        sdp.components(separatedBy: "\r\n").filter { $0.hasPrefix(prefix) }
    }

    /// Whether the fingerprint is the one `MetaShapedSDPMedia` derives from the ICE credentials.
    func fingerprintMatches(_ sdp: String) -> Bool {
        let ufrag = lines(sdp, "a=ice-ufrag:").first?.dropFirst(12) ?? ""
        let pwd = lines(sdp, "a=ice-pwd:").first?.dropFirst(10) ?? ""
        let expected = SHA256.hash(data: Data((ufrag + pwd).utf8)).map { String(format: "%02X", $0) }.joined(separator: ":")
        return lines(sdp, "a=fingerprint:") == ["a=fingerprint:sha-256 " + expected]
    }

    @Test func aFingerprintMismatchChangesTheNextAnswerOnly() async throws {
        try await Harness.run { harness in
            await harness.simulator.grantPermission(to: user, permanent: true, notify: false)
            let pending = try await harness.control.failNextMedia(1, kind: "dtls_fingerprint_mismatch")
            #expect(pending["pending"]?.lenientInt == 1)
            let faulted = try await answer(&harness)
            #expect(lines(faulted, "a=fingerprint:sha-256 ").count == 1)
            #expect(!fingerprintMatches(faulted))
            #expect(fingerprintMatches(try await answer(&harness)), "one fault, one call")
        }
    }

    @Test func anUnreachableRelayMovesEveryAddressToOneSilentPort() async throws {
        try await Harness.run { harness in
            await harness.simulator.grantPermission(to: user, permanent: true, notify: false)
            _ = try await harness.control.failNextMedia(1, kind: "media_unreachable")
            let faulted = try await answer(&harness)
            let candidates = lines(faulted, "a=candidate:")
            #expect(candidates.count == 1, "IPv4 only: \(candidates)")
            let fields = candidates.first?.split(separator: " ") ?? []
            let port = fields.count > 5 ? String(fields[5]) : ""
            #expect(fields.count > 5 && fields[4] == "127.0.0.1" && port != "3484")
            #expect(lines(faulted, "m=audio ").first?.hasPrefix("m=audio \(port) ") == true)
            #expect(lines(faulted, "a=rtcp:") == ["a=rtcp:\(port) IN IP4 127.0.0.1"])
            let clean = try await answer(&harness)
            #expect(lines(clean, "a=candidate:").count == 2 && fingerprintMatches(clean))
        }
    }

    @Test func anUnknownMediaKindIsRefused() async throws {
        try await Harness.run { harness in
            await #expect(throws: (any Error).self) { _ = try await harness.control.failNextMedia(1, kind: "media_lost") }
        }
    }
}
