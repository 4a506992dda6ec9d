import NIOCore
import Testing

@testable import Media

/// The WhatsApp leg's RTCP reports are spread over [0.5, 1.5] × 5 s
/// (RFC 3550 §6.3.1), not sent in step by calls that started together.
struct RTCPReportIntervalTests {
    @Test func intervalsStayWithinHalfAndOneAndAHalfTimesTheMean() {
        var generator = SystemRandomNumberGenerator()
        let intervals = (0..<2000).map { _ in WebRTCLegEngine.randomizedReportInterval(using: &generator) }
        #expect(intervals.allSatisfy { $0 >= .milliseconds(2500) && $0 <= .milliseconds(7500) })
        // Spread, not one fixed value: both halves of the range are used.
        #expect(intervals.contains { $0 < .seconds(4) } && intervals.contains { $0 > .seconds(6) })
    }
}
