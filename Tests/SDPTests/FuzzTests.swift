import SDP
import TestSupport
import Testing

/// Bounded fuzzing with a fixed seed: random bytes and mutated golden files must
/// never crash the parser, the serializer, or the negotiators.
@Suite("Fuzz")
struct FuzzTests {
    /// Bytes that steer mutations toward SDP syntax.
    static let interesting = Array("=:/ \r\n0123456789-.;|^amcvotsb".utf8) + [0x00, 0xFF, 0xC3, 0x80]

    /// Parses, serialises, re-parses and negotiates; only crashes would fail.
    /// Returns whether the input parsed.
    @discardableResult
    static func exercise(_ bytes: [UInt8]) -> Bool {
        guard let sdp = try? SessionDescription(parsing: bytes) else { return false }
        let text = sdp.serialized()
        if let again = try? SessionDescription(parsing: text) {
            #expect(again.serialized() == text)
        } else {
            Issue.record("serialized output did not re-parse: \(text.debugDescription)")
        }
        _ = SIPAudioNegotiator().answer(to: sdp, local: Fixtures.sipLocal)
        _ = SIPAudioNegotiator(configuration: SIPAudioConfiguration(srtp: .required)).answer(to: sdp, local: Fixtures.sipLocal)
        _ = try? WebRTCRemoteParameters(sdp)
        _ = try? WebRTCSDP.answer(toOffer: sdp, local: Fixtures.gatewayWebRTC)
        for media in sdp.media {
            _ = (media.candidates, media.cryptos, media.fingerprints, media.rtpMaps, media.formatParameters)
            _ = (media.ssrcAttributes, media.rtcpFeedback, media.ptime, media.maxptime, media.setup)
        }
        return true
    }

    /// Random bytes never crash.
    @Test("random bytes never crash")
    func randomBytes() {
        var generator = SplitMix64(seed: 0x5D9_2026)
        for _ in 0..<2_000 {
            let count = Int.random(in: 0..<300, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if Bool.random(using: &generator) {
                bytes = Array("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\n".utf8) + bytes
            }
            Self.exercise(bytes)
        }
    }

    /// Mutated golden files never crash.
    @Test("mutated golden files never crash")
    func mutatedGoldens() throws {
        var generator = SplitMix64(seed: 0xC0FFEE)
        let seeds = try Fixtures.allNames().map { try Fixtures.bytes($0) }
        var parsed = 0
        for _ in 0..<3_000 {
            var bytes = seeds[Int.random(in: 0..<seeds.count, using: &generator)]
            for _ in 0..<Int.random(in: 1...8, using: &generator) {
                Self.mutate(&bytes, using: &generator)
            }
            parsed += Self.exercise(bytes) ? 1 : 0
        }
        // The mutations must leave enough valid SDP to reach the negotiators.
        #expect(parsed > 300)
    }

    /// One random edit: flip, insert, delete, duplicate a span, or truncate.
    static func mutate(_ bytes: inout [UInt8], using generator: inout SplitMix64) {
        guard !bytes.isEmpty else { return }
        let index = Int.random(in: 0..<bytes.count, using: &generator)
        switch Int.random(in: 0..<6, using: &generator) {
        case 0: bytes[index] = UInt8.random(in: 0...255, using: &generator)
        case 1: bytes.insert(interesting.randomElement(using: &generator)!, at: index)
        case 2: bytes.remove(at: index)
        case 3:
            let end = min(bytes.count, index + Int.random(in: 1...40, using: &generator))
            bytes.insert(contentsOf: bytes[index..<end], at: index)
        case 4: bytes[index] = interesting.randomElement(using: &generator)!
        default: bytes.removeSubrange(index...)
        }
    }
}
