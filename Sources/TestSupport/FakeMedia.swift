// swift-format-ignore-file: AllPublicDeclarationsHaveDocumentation
// (the public members are witnesses of the port protocols, documented there)
// Test support: fakes of call control's ports that append every call to one
// shared journal, so tests can assert on order across ports. Not shipped.

public import CallControl
import Foundation

public final class FakeMedia: MediaControl {
    public let journal: Journal
    public let failOpen = Locked<MediaFailure?>(nil)
    /// When set, `renegotiate` fails with it (an offer media cannot answer).
    public let failRenegotiation = Locked<MediaFailure?>(nil)

    public init(journal: Journal) { self.journal = journal }

    public func openOutbound(_ call: CallID, sipOffer: String?, number: WhatsAppNumberID, context: CallLogContext)
        async throws(MediaFailure) -> OutboundMediaSession {
        journal.append("media.openOutbound \(call)")
        if let failure = failOpen.current { throw failure }
        return OutboundMediaSession(whatsAppOffer: "wa-offer-\(call)", sipAnswer: "sip-answer-\(call)")
    }
    public func openInbound(_ call: CallID, whatsAppOffer: String, number: WhatsAppNumberID, preferOpus: Bool,
                            context: CallLogContext) async throws(MediaFailure) -> InboundMediaSession {
        journal.append("media.openInbound \(call)" + (preferOpus ? " opus" : ""))
        if let failure = failOpen.current { throw failure }
        return InboundMediaSession(sipOffer: "sip-offer-\(call)", whatsAppAnswer: "wa-answer-\(call)")
    }
    public func startWhatsApp(_ call: CallID, remoteAnswer: String?, context: CallLogContext) async {
        journal.append("media.startWhatsApp \(call)")
    }
    public func setSIPRemote(_ call: CallID, sdp: String, context: CallLogContext) async {
        journal.append("media.setSIPRemote \(call) \(sdp)")
    }
    /// Answers `media-answer-CALL OFFER`, or offers `media-offer-CALL` when `offer` is nil.
    public func renegotiate(_ call: CallID, offer: String?, context: CallLogContext) async throws(MediaFailure) -> String {
        journal.append("media.renegotiate \(call) \(offer ?? "-")")
        if let failure = failRenegotiation.current { throw failure }
        return offer.map { "media-answer-\(call) \($0)" } ?? "media-offer-\(call)"
    }
    public func startRingback(_ call: CallID, context: CallLogContext) async { journal.append("media.ringback \(call)") }
    public func startBridging(_ call: CallID, context: CallLogContext) async { journal.append("media.bridge \(call)") }
    public func sendDTMF(_ digit: DTMFDigit, toward side: MediaSide, call: CallID, context: CallLogContext) async {
        journal.append("media.dtmf \(call) \(side.rawValue) \(digit.digit)")
    }
    /// What `setRecording` answers (default: a start or stop at `/rec/{call}.wav`).
    public let recordingAnswer = Locked<CallRecordingOutcome?>(nil)
    public func setRecording(_ on: Bool, call: CallID, context: CallLogContext) async -> CallRecordingOutcome {
        journal.append("media.recording \(on ? "start" : "stop") \(call)")
        let path = "/rec/\(call).wav"
        return recordingAnswer.current ?? (on ? .started(path: path) : .stopped(path: path))
    }
    public func close(_ call: CallID, context: CallLogContext) async { journal.append("media.close \(call)") }
    public func reofferBusiness(_ call: CallID, context: CallLogContext) async throws(MediaFailure) -> String {
        journal.append("media.reoffer \(call)")
        if let failure = failOpen.current { throw failure }
        return "sip-reoffer-\(call)"
    }
    public func detachBusiness(_ call: CallID, filler: BusinessFiller, context: CallLogContext) async {
        journal.append("media.detach \(call) \(filler.rawValue)")
    }
    public func setBusinessMedia(_ call: CallID, _ state: BusinessMediaState, context: CallLogContext) async {
        journal.append("media.business \(call) held=\(state.held) muted=\(state.muted)")
    }
}

public final class FakeEcho: EchoMedia {
    public let journal: Journal
    public let failure = Locked<MediaFailure?>(nil)

    public init(journal: Journal) { self.journal = journal }

    public func openEcho(_ call: CallID, sipOffer: String?, context: CallLogContext) async throws(MediaFailure) -> String {
        journal.append("echo.open \(call)")
        if let failure = failure.current { throw failure }
        return "echo-answer-\(call)"
    }

    /// Answers `echo-reanswer-CALL OFFER`, or offers `echo-offer-CALL` when `offer` is nil.
    public func renegotiate(_ call: CallID, offer: String?, context: CallLogContext) async throws(MediaFailure) -> String {
        journal.append("echo.renegotiate \(call) \(offer ?? "-")")
        if let failure = failure.current { throw failure }
        return offer.map { "echo-reanswer-\(call) \($0)" } ?? "echo-offer-\(call)"
    }

    public func setSIPRemote(_ call: CallID, sdp: String, context: CallLogContext) async {
        journal.append("echo.answer \(call) \(sdp)")
    }

    public func closeEcho(_ call: CallID, context: CallLogContext) async { journal.append("echo.close \(call)") }
}
