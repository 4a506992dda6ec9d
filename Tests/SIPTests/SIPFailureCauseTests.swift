// sofia's own status codes are never shown as what a peer answered.

import SIP
import Testing

@Suite("SIP failure causes")
struct SIPFailureCauseTests {
    @Test("904 (no matching challenge) is reported as the peer's challenge, with an authentication cause")
    func noMatchingChallenge() {
        let (status, phrase) = SIPFailureCause.reported(status: 904, phrase: "No matching challenge")
        #expect(status == 401 && phrase == "Unauthorized")
        #expect(SIPFailureCause.describe(status: status, phrase: phrase).hasPrefix("authentication failed"))
    }

    @Test("other internal codes become 500 with a cause; statuses a peer sent are kept")
    func internalAndPeerStatuses() {
        let (status, phrase) = SIPFailureCause.reported(status: 900, phrase: "Internal error")
        #expect(status == 500 && !phrase.contains("900"))
        #expect(SIPFailureCause.reported(status: 486, phrase: "Busy Here") == (486, "Busy Here"))
        #expect(SIPFailureCause.describe(status: 408, phrase: "Request Timeout").contains("did not respond"))
        #expect(SIPFailureCause.describe(status: 480, phrase: "Temporarily Unavailable")
            == "the peer answered 480 Temporarily Unavailable")
    }
}
