/// What the SIP front end tells the rest of the gateway. Produced on the SIP
/// thread, consumed through `SIPStack.events`. Requests that need an answer
/// (incomingCall, reinvite, update) are answered with `SIPCommand.respond`;
/// the stack answers none of them itself, except a re-INVITE or UPDATE left
/// unanswered for `inDialogAnswerTimeout` seconds (500) or one that arrives
/// while another is pending (491).
public enum SIPEvent: Sendable {
    /// A new INVITE from an authenticated user or recognised trunk.
    case incomingCall(SIPHandle, SIPIdentity, SIPRequest)
    /// A re-INVITE inside an established dialog (hold/resume, codec change,
    /// session refresh), unanswered: its body is an offer, or empty when the
    /// 2xx must carry our offer and the ACK the answer.
    case reinvite(SIPHandle, SIPRequest)
    /// An UPDATE inside a dialog, unanswered (with SDP, it is an offer).
    case update(SIPHandle, SIPRequest)
    /// The ACK for our 2xx arrived, with its body: the answer to the offer in
    /// our 2xx of a late-offer INVITE or re-INVITE, else empty.
    case acknowledged(SIPHandle, body: [UInt8])
    /// The caller cancelled before answer (nua already answered 487).
    case cancelled(SIPHandle)
    /// The far end hung up with BYE (nua already answered 200).
    case bye(SIPHandle)
    /// A DTMF digit from SIP INFO (`application/dtmf-relay` or `application/dtmf`).
    case dtmf(SIPHandle, digit: Character, durationMs: Int)
    /// A response to the initial INVITE of a call we placed (provisional or
    /// final). Each fork of a forked call reports its own responses; the stack
    /// picks no winner. `callID` is the response's Call-ID: the one nua chose
    /// for this fork's INVITE, which the far end saw and its dialog keeps.
    /// `metaWACID` is Meta's own call id (`x-wa-meta-wacid`, unchecked text),
    /// read only on a call placed to a SIP-mode number's Meta server.
    case inviteResponse(SIPHandle, status: Int, phrase: String, body: [UInt8], contentType: String?,
                        callID: String? = nil, metaWACID: String? = nil)
    /// The final response to a re-INVITE or UPDATE the stack sent inside an
    /// established dialog (a session refresh, RFC 4028). Never a new answer:
    /// a 2xx confirms the dialog is alive; on 408/481 the stack ends the
    /// dialog itself and `terminated` follows.
    case inDialogResponse(SIPHandle, method: String, status: Int, phrase: String)
    /// A response to a BYE or CANCEL we sent.
    case requestResponse(SIPHandle, method: String, status: Int)
    /// The dialog or transaction is over; the handle is gone.
    case terminated(SIPHandle, status: Int, phrase: String)
    /// A REFER inside a confirmed dialog that the stack has answered 202: call
    /// control reports the transfer's progress with `SIPCommand.notifyRefer`.
    /// A REFER the stack refused (400, 403, 481, 491) is not reported.
    case refer(SIPHandle, ReferRequest)
    /// A user's set of registered contacts changed.
    case registrationChanged(user: String, contacts: Int)
}
