import Foundation
import SDP

/// Loads golden SDP files and the fixed inputs the goldens were made with.
enum Fixtures {
    /// The bytes of `Fixtures/<name>`.
    static func bytes(_ name: String) throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
            throw FixtureError.missing(name)
        }
        return Array(try Data(contentsOf: url))
    }

    /// The text of `Fixtures/<name>`.
    static func text(_ name: String) throws -> String {
        String(decoding: try bytes(name), as: UTF8.self)
    }

    /// Parses `Fixtures/<name>`.
    static func sdp(_ name: String) throws -> SessionDescription {
        try SessionDescription(parsing: try bytes(name))
    }

    /// Every `.sdp` file in the fixtures folder.
    static func allNames() throws -> [String] {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw FixtureError.missing("Fixtures")
        }
        return try FileManager.default.contentsOfDirectory(atPath: url.path)
            .filter { $0.hasSuffix(".sdp") }
            .sorted()
    }

    /// Compares `actual` with the golden file; with `SDP_UPDATE_GOLDENS=1` in the
    /// environment, (re)writes the golden in the source tree instead.
    static func golden(_ name: String, _ actual: SessionDescription, file: String = #filePath) throws -> (expected: String, actual: String) {
        let text = actual.serialized()
        if ProcessInfo.processInfo.environment["SDP_UPDATE_GOLDENS"] == "1" {
            let folder = URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("Fixtures")
            try Data(text.utf8).write(to: folder.appendingPathComponent(name))
            return (text, text)
        }
        return (try self.text(name), text)
    }

    /// Our SIP-side per-call inputs for the goldens.
    static let sipLocal = SIPLocalMedia(
        address: "203.0.113.5", port: 40_000, sessionID: 4_242, sessionVersion: 1,
        sdesKeyAndSalt: Array(0x10..<0x2E)
    )

    /// wagate's WebRTC inputs for the goldens.
    static let gatewayWebRTC = WebRTCLocalParameters(
        iceUfrag: "wGtE4uFrAg7xQ2mZ", icePwd: "p4sSw0rdF0r1ceTest+/abcd",
        fingerprint: Fingerprint(bytes: (0..<32).map { UInt8($0 * 7 + 3) }),
        candidates: WebRTCLocalParameters.gatewayCandidates(
            hostAddresses: ["10.20.0.5", "fd00:20::5"], port: 31_000, externalAddress: "198.51.100.20", externalKind: .host
        ),
        ssrc: 2_882_400_001, cname: "wagate-7f3a", sessionID: 5_150_000_001
    )

    /// The simulated WhatsApp user's inputs for the goldens.
    static let metaWebRTC = WebRTCLocalParameters(
        iceUfrag: "Tt8nK2vXq3Lw9sZb", icePwd: "hJ2k9Lm4Np7Qr1St5Uv8Wx3Yz",
        fingerprint: Fingerprint(bytes: (0..<32).map { UInt8(255 - $0 * 5) }),
        candidates: [
            ICECandidate(foundation: "2856223165", priority: 2_122_260_223, address: "157.240.229.62", port: 3_484, kind: .host),
            ICECandidate(foundation: "1810592045", priority: 2_122_262_783, address: "2a03:2880:f236:1c4:face:b00c:0:699c", port: 3_484, kind: .host),
        ],
        ssrc: 3_219_523_612, cname: "WhatsAppAudioStream1", sessionID: 1_733_512_345_678_901, sessionVersion: 2
    )
}

/// Fixture loading failures.
enum FixtureError: Error {
    /// The named resource is not in the bundle.
    case missing(String)
}
