// Browser media without sockets: offers named after the fork, answers and
// releases written to the shared journal.

import CallControl
import TestSupport
@testable import Gateway

final class FakeAgentMedia: AgentMedia {
    let journal: Journal

    init(journal: Journal) { self.journal = journal }

    func offerForAgent(call: CallID, fork: String) async throws(MediaFailure) -> String {
        journal.append("agentMedia.offer \(call)")
        return "browser-offer-\(fork)"
    }

    func agentAnswered(call: CallID, fork: String, sdp: String) async throws(MediaFailure) {
        journal.append("agentMedia.answered \(call) \(sdp)")
        if sdp == "no-opus" { throw MediaFailure(.incompatibleSDP, "no Opus") }
    }

    func answerForAgent(call: CallID) async -> String? {
        "browser-answer-\(call)"
    }

    func releaseAgentFork(call: CallID, fork: String) async {
        journal.append("agentMedia.release \(call)")
    }
}
