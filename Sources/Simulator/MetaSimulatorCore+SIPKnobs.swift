import Foundation
import WhatsAppCloud

/// Control knobs for tests of a gateway against the SIP-mode Meta: a number's
/// digest challenge and password, and how the simulated users' phones ring.
extension MetaSimulatorCore {
    /// Sets a SIP-mode number's challenge algorithm (`MD5`, `SHA-256`) and the
    /// password Meta checks, as when the business rotates its SIP password at Meta
    /// and the gateway still has the old one. Answers the number's SIP facts.
    func setSIPDigest(of name: String, algorithm: String?, password: String?) throws -> JSONValue {
        let number = try simulatedNumber(name)
        guard var facts = number.sip else {
            throw SimulatorError.badRequest("number \(number.displayPhoneNumber) has no SIP-mode facts")
        }
        if let algorithm {
            guard let parsed = SimSIPDigestAlgorithm(rawValue: algorithm.uppercased()) else {
                throw SimulatorError.badRequest("digest must be MD5 or SHA-256")
            }
            facts.digestAlgorithm = parsed
        }
        if let password {
            guard !password.isEmpty, password.count <= 256 else {
                throw SimulatorError.badRequest("password must be 1 to 256 characters")
            }
            facts.password = password
        }
        if number.phoneNumberID == settings.phoneNumberID {
            settings.primarySIP = facts
        } else if let index = settings.additionalNumbers.firstIndex(where: { $0.phoneNumberID == number.phoneNumberID }) {
            settings.additionalNumbers[index].sip = facts
        }
        return ["digest": .string((facts.digestAlgorithm ?? settings.metaSIP.digestAlgorithm).rawValue),
                "domain": .string(facts.domain), "srtp": .string(facts.srtp.rawValue)]
    }

    /// Sets how the users' phones ring for calls placed from now on: answered after
    /// `autoAnswerMs` (nil: never by itself), unanswered calls ending after
    /// `ringTimeoutMs` (Meta's no-answer: 480 on SIP, a FAILED terminate on Graph),
    /// and when a Graph call's connect webhook carries the user's SDP
    /// (`answerTiming`: with RINGING, so media is up before the answer, or after
    /// ACCEPTED, so ACCEPTED comes first; nil leaves it as it is).
    func setRinging(autoAnswerMs: Double?, ringTimeoutMs: Double?,
                    answerTiming: MetaSimulatorSettings.AnswerTiming? = nil) throws -> JSONValue {
        let bounds = 1.0...600_000.0
        if let autoAnswerMs, !bounds.contains(autoAnswerMs) { throw SimulatorError.badRequest("auto_answer_ms out of range") }
        if let ringTimeoutMs, !bounds.contains(ringTimeoutMs) { throw SimulatorError.badRequest("ring_timeout_ms out of range") }
        settings.autoAnswerAfter = autoAnswerMs.map { .milliseconds(Int64($0)) }
        if let ringTimeoutMs { settings.ringTimeout = .milliseconds(Int64(ringTimeoutMs)) }
        if let answerTiming { settings.answerTiming = answerTiming }
        let ring = settings.ringTimeout.components
        return ["auto_answer_ms": autoAnswerMs.map(JSONValue.number) ?? .null,
                "ring_timeout_ms": .number(Double(ring.seconds) * 1000 + Double(ring.attoseconds) / 1e15),
                "answer_timing": .string(settings.answerTiming.rawValue)]
    }
}
