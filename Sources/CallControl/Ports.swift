// The protocols call control performs its actions through. The composition
// layer implements them over the SIP stack, the Graph client, the media bridge
// and the store. Every method receives the call's log context.
//
// Ownership: call control calls these from its own tasks, never concurrently
// for the same call and port except Graph requests (see `CallControl`). Results
// of SIP legs and media come back through `CallControl.handleSIP(_:on:)` and
// `CallControl.handleMedia(_:for:)`.

public import Config
public import Foundation
public import NetTypes

/// The SIP front end, as call control needs it.
public protocol SIPSignaling: Sendable {
    /// Sends a provisional or final response to an incoming INVITE.
    func respond(to leg: SIPLegID, with response: SIPResponse, context: CallLogContext) async
    /// Places an outgoing INVITE (forked in parallel when it has several targets).
    /// Its events come back tagged with `call.leg`.
    func placeCall(_ call: OutgoingSIPCall, context: CallLogContext) async
    /// Cancels an outgoing INVITE that has no final response yet (CANCEL).
    func cancel(_ leg: SIPLegID, reason: SIPReason?, context: CallLogContext) async
    /// Acknowledges the 2xx of an outgoing INVITE (ACK); a no-op when the stack ACKs by itself.
    func acknowledge(_ leg: SIPLegID, context: CallLogContext) async
    /// Ends an established dialog (BYE).
    func hangUp(_ leg: SIPLegID, reason: SIPReason?, context: CallLogContext) async
    /// Sends a DTMF digit by SIP INFO (`application/dtmf-relay`).
    func sendDTMF(_ digit: DTMFDigit, on leg: SIPLegID, context: CallLogContext) async
    /// Best effort after a crash: closes a dialog a previous run left open.
    func closeOrphanedDialog(sipCallID: String, context: CallLogContext) async
    /// Reports a transfer's progress on the leg that asked for it (a NOTIFY with a
    /// `message/sipfrag` status line, RFC 3515); `final` ends the subscription.
    func notifyTransfer(_ leg: SIPLegID, status: Int, final: Bool, context: CallLogContext) async
}

/// Turns inbound-plan user names into registered contacts.
public protocol SIPTargetResolver: Sendable {
    /// The contact URIs currently registered for `user` (empty when none).
    func registeredContacts(ofUser user: String) async -> [String]
    /// False while trunk `name` does not answer the keepalive (routing skips it).
    func isTrunkUp(_ name: String) async -> Bool
}

/// Meta's Cloud API calling endpoints, as call control needs them. `number` is
/// the business number the request goes through (`/{PHONE_NUMBER_ID}/…`); a
/// user is addressed by phone number, or by BSUID when Meta gave no number.
public protocol WhatsAppCalling: Sendable {
    /// `GET call_permissions` for `user` (uncached: call control caches).
    func callPermission(for user: WhatsAppUser, number: WhatsAppNumberID, context: CallLogContext)
        async throws(WhatsAppFailure) -> CallPermission
    /// `connect` with the WebRTC offer; `opaque` goes in `biz_opaque_callback_data`.
    func connect(to user: WhatsAppUser, from number: WhatsAppNumberID, offer: String, opaque: String,
                 context: CallLogContext) async throws(WhatsAppFailure) -> WACID
    /// `connect` with Meta's `recording`/`transcription` objects when `capture` enables them.
    func connect(to user: WhatsAppUser, from number: WhatsAppNumberID, offer: String, opaque: String,
                 capture: MetaCaptureConfig, context: CallLogContext) async throws(WhatsAppFailure) -> WACID
    /// `pre_accept` with the WebRTC answer.
    func preAccept(_ call: WACID, number: WhatsAppNumberID, answer: String, context: CallLogContext)
        async throws(WhatsAppFailure)
    /// `accept` with the same WebRTC answer.
    func accept(_ call: WACID, number: WhatsAppNumberID, answer: String, context: CallLogContext)
        async throws(WhatsAppFailure)
    /// `accept` with Meta's `recording`/`transcription` objects when `capture` enables them.
    func accept(_ call: WACID, number: WhatsAppNumberID, answer: String, capture: MetaCaptureConfig,
                context: CallLogContext) async throws(WhatsAppFailure)
    /// `reject`.
    func reject(_ call: WACID, number: WhatsAppNumberID, context: CallLogContext) async throws(WhatsAppFailure)
    /// `terminate`.
    func terminate(_ call: WACID, number: WhatsAppNumberID, context: CallLogContext) async throws(WhatsAppFailure)
    /// Sends a call permission request: the interactive message or an approved template.
    func sendPermissionRequest(to user: WhatsAppUser, from number: WhatsAppNumberID, message: PermissionRequestMessage,
                               context: CallLogContext) async throws(WhatsAppFailure)
}

/// The media bridge (RTP leg ⇄ transcoding ⇄ WebRTC leg), one session per call.
public protocol MediaControl: Sendable {
    /// Outbound: allocates both legs from the SIP offer (nil for late offer) and
    /// returns the WebRTC offer and the SIP answer. `number` is the business
    /// number the call goes through (its `additional_codecs` shape the offer).
    func openOutbound(_ call: CallID, sipOffer: String?, number: WhatsAppNumberID, context: CallLogContext)
        async throws(MediaFailure) -> OutboundMediaSession
    /// Inbound: allocates both legs from Meta's offer to business number `number`
    /// and returns the SIP offer and the WebRTC answer. With `preferOpus` (the plan can
    /// ring a browser) Meta's leg takes Opus even when Meta lists G.711 first.
    func openInbound(_ call: CallID, whatsAppOffer: String, number: WhatsAppNumberID, preferOpus: Bool,
                     context: CallLogContext) async throws(MediaFailure) -> InboundMediaSession
    /// Starts ICE (controlling) and DTLS on the WebRTC leg; `remoteAnswer` is Meta's
    /// answer on outbound calls, nil on inbound calls (the offer is already known).
    /// Reports ``MediaEvent/connected`` or ``MediaEvent/failed(_:)``.
    func startWhatsApp(_ call: CallID, remoteAnswer: String?, context: CallLogContext) async
    /// Applies the SIP peer's answer to our SIP offer (the 200's answer on inbound
    /// calls, the ACK's on a late-offer INVITE or a re-INVITE without SDP).
    func setSIPRemote(_ call: CallID, sdp: String, context: CallLogContext) async
    /// Answers a re-INVITE/UPDATE offer on the SIP leg and switches the leg to
    /// what was agreed (codec, address, hold); with `offer` nil, returns our offer
    /// and expects the answer through `setSIPRemote`. An unchanged offer (a
    /// session refresh) gets the same SDP with the same `o=` version, a changed
    /// one the next version (RFC 3264 §8). Fails with `incompatibleSDP` (488).
    func renegotiate(_ call: CallID, offer: String?, context: CallLogContext) async throws(MediaFailure) -> String
    /// Plays locally generated ringback towards the SIP caller (183 early media).
    func startRingback(_ call: CallID, context: CallLogContext) async
    /// Bridges audio both ways (only after the WhatsApp side is accepted/answered).
    func startBridging(_ call: CallID, context: CallLogContext) async
    /// Sends a DTMF digit in-band (RFC 4733) towards `side`.
    func sendDTMF(_ digit: DTMFDigit, toward side: MediaSide, call: CallID, context: CallLogContext) async
    /// Starts (`on`) or stops the gateway's own recording of the live call's
    /// audio; `refused` with the reason when it cannot (no recording directory,
    /// Opus pass-through, no bridge, nothing to stop).
    func setRecording(_ on: Bool, call: CallID, context: CallLogContext) async -> CallRecordingOutcome
    /// Releases the call's sockets and state. Idempotent.
    func close(_ call: CallID, context: CallLogContext) async
    /// Offers the business side again on the call's RTP port (a transfer target):
    /// a fresh SIP offer whose answer comes back through ``setSIPRemote(_:sdp:context:)``.
    /// The WhatsApp leg is untouched.
    func reofferBusiness(_ call: CallID, context: CallLogContext) async throws(MediaFailure) -> String
    /// Detaches the business side: the WhatsApp user hears `filler`, and Meta's leg
    /// keeps receiving media, until ``startBridging(_:context:)`` joins a new side.
    func detachBusiness(_ call: CallID, filler: BusinessFiller, context: CallLogContext) async
    /// Holds or mutes a business side that does not renegotiate SDP (a browser).
    func setBusinessMedia(_ call: CallID, _ state: BusinessMediaState, context: CallLogContext) async
    /// An internal call (a user dialled another user or a group): a bridge when a
    /// browser is on either side (`callerOffer` is WebRTC, or `browserTargets`),
    /// else direct media (``InternalMediaSession``).
    func openInternal(_ call: CallID, callerOffer: String?, browserTargets: Bool, context: CallLogContext)
        async throws(MediaFailure) -> InternalMediaSession
}

/// The echo test's media: one RTP socket per call that sends back what it receives.
public protocol EchoMedia: Sendable {
    /// Opens the echo media for the phone's SDP offer and returns the SIP answer.
    /// Fails with `incompatibleSDP` (488) or `resources` (503). When no RTP arrives
    /// for the configured time it reports ``MediaEvent/rtpTimeout(_:)`` for `call`.
    /// With `sipOffer` nil (late offer), returns our offer; the answer comes through `setSIPRemote`.
    func openEcho(_ call: CallID, sipOffer: String?, context: CallLogContext) async throws(MediaFailure) -> String
    /// Answers a re-INVITE/UPDATE offer, as ``MediaControl/renegotiate(_:offer:context:)``.
    func renegotiate(_ call: CallID, offer: String?, context: CallLogContext) async throws(MediaFailure) -> String
    /// Applies the phone's answer to the offer in our 200 (late offer).
    func setSIPRemote(_ call: CallID, sdp: String, context: CallLogContext) async
    /// Releases the call's echo media. Idempotent.
    func closeEcho(_ call: CallID, context: CallLogContext) async
}

/// The record keeper: CDRs and the in-progress rows used for crash recovery.
/// The only writer of call rows; it owns them.
public protocol CallRecords: Sendable {
    /// Records one step of a call at `time`.
    func record(_ event: CallRecordEvent, call: CallID, at time: Date, context: CallLogContext) async
    /// The calls a previous run recorded as started and never ended (crash recovery).
    func callsInProgress() async -> [OrphanedCall]
    /// Notes on the call's CDR that Meta was asked for `kinds` (MetaArtifact.swift).
    func metaCaptureRequested(_ kinds: [MetaArtifactKind], call: CallID) async
    /// Links a Meta recording/transcription result to its CDR by wacid (MetaArtifact.swift).
    func attach(_ artifact: MetaArtifact, known: Bool) async -> MetaArtifactOutcome
}

/// A timer that can be cancelled.
public protocol CallTimerHandle: Sendable {
    /// Stops the timer if it has not fired. Idempotent.
    func cancel()
}

/// Time as call control sees it: injected so tests run on a manual clock.
public protocol CallClock: Sendable {
    /// Wall-clock time, for records and permission expiry.
    var now: Date { get }
    /// Runs `fire` once after `delay` unless the returned handle is cancelled first.
    func schedule(after delay: Duration, _ fire: @escaping @Sendable () async -> Void) -> any CallTimerHandle
}
