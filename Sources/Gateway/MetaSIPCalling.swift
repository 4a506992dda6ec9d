import CallControl
import Config
import Logging
import SIP

/// Call control's `WhatsAppCalling` for SIP-mode numbers, over the SIP stack:
/// `connect` is an INVITE over TLS to Meta's SIP servers, `pre_accept`/`accept`/
/// `reject` answer Meta's INVITE (183, 200, 603), `terminate` is CANCEL, BYE or a
/// final error. It is also the source of the `WhatsAppEvent`s of those calls
/// (ringing, answer, accepted, rejected, terminate, a user's call), handed to call
/// control as webhook events are, so call control owns SIP-mode calls exactly
/// as Graph-mode ones. It decides nothing: it translates.
///
/// It owns the table wacid ⇄ stack handle of Meta's dialogs. Entries leave when
/// the dialog ends (the stack's `terminated`), and the table is bounded: past
/// ``capacity`` dialogs new ones are refused (503).
actor MetaSIPCalling {
    /// One dialog with Meta's SIP servers.
    struct Dialog {
        /// Who sent the INVITE.
        enum Direction { case outbound, inbound }
        var handle: SIPHandle
        var wacid: WACID?
        var number: WhatsAppNumberID
        var direction: Direction
        /// Our `biz_opaque_callback_data` equivalent: call control's call id (outbound).
        var opaque: String?
        /// Our SDP as last sent (the offer, or the answer in 183/200): answers Meta's in-dialog offers.
        var localSDP: String?
        /// Meta's SDP has been reported (`.answer`) on an outbound call.
        var answerReported = false
        /// A 2xx went either way: the dialog is confirmed.
        var answered = false
        /// Ringing was reported (outbound), or the INVITE offered 100rel (inbound).
        var ringing = false
        var offers100rel = false
        /// Call control ended it (or was told it ended): no terminate is reported again.
        var ended = false
        var sipCallID: String?
        /// Meta's own call id (`x-wa-meta-wacid` on its response to our INVITE), once seen.
        var metaWACID: String?
        /// `connect` waiting for Meta's first answer.
        var pending: CheckedContinuation<Result<WACID, WhatsAppFailure>, Never>?
    }

    /// Most dialogs with Meta at once (Meta's own limit is 1000 concurrent calls per number).
    let capacity: Int
    let stack: any SIPCommandChannel
    private(set) var config: GatewayConfig
    let logger: Logger
    /// Where events go: call control's ``CallControl/handleMetaSIP(_:number:)``.
    private var sink: (@Sendable (WhatsAppEvent, WhatsAppNumberID) async -> Void)?
    var dialogs: [SIPHandle: Dialog] = [:]
    var byWACID: [WACID: SIPHandle] = [:]

    init(stack: any SIPCommandChannel, config: GatewayConfig, logger: Logger, capacity: Int = 4096) {
        self.stack = stack
        self.config = config
        self.logger = logger
        self.capacity = capacity
    }

    /// Sends this adapter's events to `control` from now on.
    func attach(_ control: CallControl) {
        sink = { [weak control] event, number in await control?.handleMetaSIP(event, number: number) }
    }

    /// New calls use `config`'s numbers (modes, hosts, credentials); dialogs in progress stay.
    func apply(_ config: GatewayConfig) {
        self.config = config
    }

    /// True when business number `number` is signalled over Meta's SIP interface.
    func isSIPMode(_ number: WhatsAppNumberID) -> Bool {
        config.number(withID: number.rawValue)?.signaling == .sip
    }

    /// Reports `event` for `number` to call control.
    func report(_ event: WhatsAppEvent, number: WhatsAppNumberID) async {
        await sink?(event, number)
    }

    /// Forgets a dialog the stack ended.
    func remove(_ handle: SIPHandle) {
        guard let dialog = dialogs.removeValue(forKey: handle) else { return }
        if let wacid = dialog.wacid, byWACID[wacid] == handle { byWACID[wacid] = nil }
    }

    /// The log fields of a dialog.
    func metadata(_ dialog: Dialog, _ extra: Logger.Metadata = [:]) -> Logger.Metadata {
        var metadata: Logger.Metadata = ["handle": "\(dialog.handle)", "signaling": "sip"]
        if let wacid = dialog.wacid { metadata["wacid"] = "\(wacid)" }
        if let callID = dialog.sipCallID { metadata["meta_sip_call_id"] = "\(callID.prefix(128))" }
        if let metaWACID = dialog.metaWACID { metadata["meta_wacid"] = "\(metaWACID)" }
        if let opaque = dialog.opaque { metadata["call_id"] = "\(opaque)" }
        return metadata.merging(extra) { $1 }
    }

    // MARK: - Stack events

    /// Handles a stack event if it belongs to one of Meta's dialogs; false when it does not.
    func handle(_ event: SIPEvent) async -> Bool {
        switch event {
        case let .inviteResponse(handle, status, phrase, body, _, callID, metaWACID):
            guard dialogs[handle] != nil else { return false }
            await inviteResponse(handle, status: status, phrase: phrase, body: body, callID: callID)
            noteMetaWACID(handle, metaWACID)
        case let .terminated(handle, status, phrase):
            guard dialogs[handle] != nil else { return false }
            await terminated(handle, status: status, phrase: phrase)
        case .bye(let handle):
            guard dialogs[handle] != nil else { return false }
            await endedByMeta(handle, completed: true)
        case .cancelled(let handle):
            guard dialogs[handle] != nil else { return false }
            await endedByMeta(handle, completed: false)
        case let .reinvite(handle, request), let .update(handle, request):
            guard let dialog = dialogs[handle] else { return false }
            answerInDialog(dialog, offered: !request.body.isEmpty, method: request.method)
        case .acknowledged(let handle, _), .dtmf(let handle, _, _), .requestResponse(let handle, _, _),
             .inDialogResponse(let handle, _, _, _), .refer(let handle, _):
            return dialogs[handle] != nil
        case .incomingCall, .registrationChanged:
            return false
        }
        return true
    }

    /// Meta re-offered inside the dialog (Meta does not, but a peer may): our SDP
    /// is unchanged, so the answer is the same SDP; an UPDATE without SDP gets 200.
    private func answerInDialog(_ dialog: Dialog, offered: Bool, method: String) {
        let sdp = offered ? dialog.localSDP : nil
        stack.send(.respond(dialog.handle, status: 200, phrase: "OK", sdp: sdp, headers: []))
        logger.info("in-dialog request from Meta answered unchanged", metadata: metadata(dialog, ["method": "\(method)"]))
    }
}
