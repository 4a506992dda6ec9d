import Foundation
import Simulator
import Testing

/// The default media writes SDP in exactly the shape of Meta's (docs/whatsapp.md#media).
@Suite struct SimulatedUserMediaTests {
    @Test func offerHasMetaShape() async throws {
        let sdp = try await MetaShapedSDPMedia().makeOffer(callID: "wacid.1")
        let lines = sdp.components(separatedBy: "\r\n")
        for expected in ["a=ice-lite", "a=mid:audio", "a=setup:actpass", "a=rtcp-mux", "a=group:BUNDLE audio",
                         "a=rtpmap:111 opus/48000/2", "a=rtpmap:126 telephone-event/8000", "a=ptime:20", "a=sendrecv",
                         "a=fmtp:111 maxaveragebitrate=20000;maxplaybackrate=16000;minptime=20;sprop-maxcapturerate=16000;useinbandfec=1"] {
            #expect(lines.contains(expected), "missing \(expected)")
        }
        #expect(lines.contains { $0.hasPrefix("m=audio ") && $0.hasSuffix(" UDP/TLS/RTP/SAVPF 111 126") })
        #expect(lines.filter { $0.hasPrefix("a=ssrc:") }.count == 1)
        #expect(lines.filter { $0.hasPrefix("a=candidate:") }.count == 2)
        let fingerprint = try #require(lines.first { $0.hasPrefix("a=fingerprint:sha-256 ") })
        let hex = fingerprint.dropFirst("a=fingerprint:sha-256 ".count).split(separator: ":")
        #expect(hex.count == 32 && hex.allSatisfy { $0.count == 2 && $0.allSatisfy(\.isHexDigit) })
        #expect(sdp.hasSuffix("\r\n"))
    }

    @Test func answerIsActiveAndNeedsAFingerprint() async throws {
        let media = MetaShapedSDPMedia()
        let answer = try await media.answer(callID: "wacid.1", offer: media.sdp(setup: "actpass"))
        #expect(answer.contains("a=setup:active\r\n"))
        await #expect(throws: SimulatorError.self) { try await media.answer(callID: "wacid.2", offer: "v=0\r\n") }
    }
}
