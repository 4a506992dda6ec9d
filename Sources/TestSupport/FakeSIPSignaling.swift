// swift-format-ignore-file: AllPublicDeclarationsHaveDocumentation
// (the public members are witnesses of the port protocols, documented there)
// Test support: fakes of call control's ports that append every call to one
// shared journal, so tests can assert on order across ports. Not shipped.

public import CallControl
import Foundation

public final class FakeSIP: SIPSignaling {
    public let journal: Journal
    public let responses = Locked<[(SIPLegID, SIPResponse)]>([])
    public let placed = Locked<[OutgoingSIPCall]>([])

    public init(journal: Journal) { self.journal = journal }

    public func respond(to leg: SIPLegID, with response: SIPResponse, context: CallLogContext) async {
        responses.withValue { $0.append((leg, response)) }
        journal.append("sip.respond \(leg) \(response.status)")
    }
    public func placeCall(_ call: OutgoingSIPCall, context: CallLogContext) async {
        placed.withValue { $0.append(call) }
        journal.append("sip.invite \(call.leg) \(call.targets.map(\.description).joined(separator: ","))")
    }
    public func cancel(_ leg: SIPLegID, reason: SIPReason?, context: CallLogContext) async {
        journal.append("sip.cancel \(leg)")
    }
    public func acknowledge(_ leg: SIPLegID, context: CallLogContext) async { journal.append("sip.ack \(leg)") }
    public func hangUp(_ leg: SIPLegID, reason: SIPReason?, context: CallLogContext) async { journal.append("sip.bye \(leg)") }
    public func sendDTMF(_ digit: DTMFDigit, on leg: SIPLegID, context: CallLogContext) async {
        journal.append("sip.info \(leg) \(digit.digit)")
    }
    public func closeOrphanedDialog(sipCallID: String, context: CallLogContext) async {
        journal.append("sip.closeOrphan \(sipCallID)")
    }
    public func notifyTransfer(_ leg: SIPLegID, status: Int, final: Bool, context: CallLogContext) async {
        journal.append("sip.notify \(leg) \(status)\(final ? " final" : "")")
    }

    /// The last response sent on `leg`.
    public func lastResponse(_ leg: SIPLegID) -> SIPResponse? { responses.current.last { $0.0 == leg }?.1 }
    /// Final (≥ 200) responses sent on `leg`.
    public func finals(_ leg: SIPLegID) -> [SIPResponse] { responses.current.filter { $0.0 == leg && $0.1.status >= 200 }.map(\.1) }
}

public final class FakeResolver: SIPTargetResolver {
    public init() {}

    public let contacts = Locked<[String: [String]]>([:])

    public func registeredContacts(ofUser user: String) async -> [String] { contacts.current[user] ?? [] }
}
