// The Graph adapter's translation of client errors into call control's failures:
// Meta's wait (Retry-After, or 138012's next allowed call time) becomes retryAfter.

import CallControl
import Foundation
import Testing
import WhatsAppCloud
@testable import Gateway

@Suite("Graph failures as call control sees them")
struct GraphFailureMappingTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func dailyLimitsNextAllowedTimeBecomesTheRetryAfter() {
        let graph = GraphError(code: 138012, httpStatus: 400, message: "limit", details: "d",
                               nextCallAllowed: now.addingTimeInterval(754.2))
        let failure = GraphWhatsAppCalling.failure(.graph(graph), at: now)
        #expect(failure == .graph(code: 138012, httpStatus: 400, message: "limit", details: "d", retryAfter: .seconds(755)))
        let (response, _) = FailureMapping.response(for: failure, defaultRetryAfter: 60)
        #expect(response.status == 480 && response.retryAfter == 755)
    }

    @Test func metasRetryAfterHeaderWinsOverTheNextAllowedTime() {
        let graph = GraphError(code: 138012, httpStatus: 400, message: "m", retryAfter: .seconds(9),
                               nextCallAllowed: now.addingTimeInterval(3600))
        #expect(GraphWhatsAppCalling.failure(.graph(graph), at: now).retryAfter == .seconds(9))
    }

    @Test func aTimeLongPastOrFarAheadIsBounded() {
        let past = GraphError(code: 138012, httpStatus: 400, message: "m", nextCallAllowed: now.addingTimeInterval(-60))
        let ahead = GraphError(code: 138012, httpStatus: 400, message: "m",
                               nextCallAllowed: now.addingTimeInterval(9_000_000))
        #expect(GraphWhatsAppCalling.failure(.graph(past), at: now).retryAfter == .seconds(1))
        #expect(GraphWhatsAppCalling.failure(.graph(ahead), at: now).retryAfter == .seconds(86_400))
    }
}

extension WhatsAppFailure {
    /// The Graph failure's wait, if any.
    var retryAfter: Duration? {
        if case .graph(_, _, _, _, let retryAfter, _) = self { return retryAfter }
        return nil
    }
}
