// What call control tells the record keeper (CDRs, crash-recovery rows).

import Foundation

/// Why a call ended, for CDRs and logs.
public enum CallEndReason: String, Sendable, Equatable, CaseIterable {
    /// One side hung up after the call was answered.
    case normal
    /// The SIP caller cancelled before answer.
    case cancelled
    /// The callee declined (REJECTED, 603, 486, 600).
    case rejected
    /// Nobody answered in time.
    case noAnswer = "no_answer"
    /// The SIP side does not know the callee (404, 410, 484, 485, 604).
    case notFound = "not_found"
    /// Every target was busy.
    case busy
    /// The inbound plan had nowhere to ring, or the targets had no registered contact.
    case noRoute = "no_route"
    /// The destination policy forbade the number, or it could not be normalised.
    case forbidden
    /// The WhatsApp user has not granted call permission.
    case noPermission = "no_permission"
    /// A per-user, per-trunk or gateway limit was reached.
    case limit
    /// The WhatsApp API refused or failed.
    case whatsAppError = "whatsapp_error"
    /// The SIP side failed (transport, timeout, 5xx).
    case sipError = "sip_error"
    /// Media could not be set up, or stopped.
    case mediaFailure = "media_failure"
    /// The gateway shut down.
    case shutdown
    /// Terminated after a crash of a previous run.
    case recovered
    /// Terminated by a surviving cluster node after the node that carried the
    /// call stopped renewing its lease (killed, or cut off).
    case nodeFailed = "node_failed"
}

/// How one call ended.
public struct CallEnding: Sendable, Equatable {
    /// Why.
    public var reason: CallEndReason
    /// Who ended it.
    public var endedBy: CallParty
    /// The SIP status sent or received as the final answer, if one was.
    public var sipStatus: Int?
    /// A Graph or terminate-webhook error code, if one was involved.
    public var whatsAppCode: Int?
    /// Meta's `fbtrace_id` of the failed Graph request, when it sent one.
    public var fbtraceID: String?
    /// Free text for logs and the CDR.
    public var detail: String?

    /// Creates a value.
    public init(reason: CallEndReason, endedBy: CallParty, sipStatus: Int? = nil, whatsAppCode: Int? = nil,
                detail: String? = nil, fbtraceID: String? = nil) {
        self.fbtraceID = fbtraceID
        self.reason = reason
        self.endedBy = endedBy
        self.sipStatus = sipStatus
        self.whatsAppCode = whatsAppCode
        self.detail = detail
    }
}

/// A call's parties, recorded when it starts.
public struct CallStart: Sendable, Equatable {
    /// Which way.
    public var direction: BridgeDirection
    /// The caller: a user/trunk name for outbound, the WhatsApp user's address
    /// (`+E164`, or the BSUID without a number) for inbound.
    public var from: String
    /// The callee: the WhatsApp user's address for outbound, the inbound target for inbound.
    public var to: String
    /// The SIP `Call-ID` of an outbound call's INVITE.
    public var sipCallID: String?
    /// The wacid of an inbound call.
    public var wacid: WACID?
    /// The WhatsApp user with every identifier Meta gave (the caller of an
    /// inbound call, the callee of an outbound one), for the CDR.
    public var user: WhatsAppUser?
    /// The business number (phone_number_id) the call went through; call control
    /// fills it from the call's table entry when it records the start.
    public var number: WhatsAppNumberID?
    /// The user part of the SIP From of a call from the SIP side: the calling
    /// user behind a trunk, where `from` only says `trunk:NAME`.
    public var sipFromUser: String?

    /// Creates a value.
    public init(direction: BridgeDirection, from: String, to: String, sipCallID: String? = nil, wacid: WACID? = nil,
                user: WhatsAppUser? = nil, number: WhatsAppNumberID? = nil, sipFromUser: String? = nil) {
        self.sipFromUser = sipFromUser
        self.direction = direction
        self.from = from
        self.to = to
        self.sipCallID = sipCallID
        self.wacid = wacid
        self.user = user
        self.number = number
    }
}

/// One step of a call's life, as recorded.
public enum CallRecordEvent: Sendable, Equatable {
    /// The call exists; from now on it is "in progress" for crash recovery.
    case started(CallStart)
    /// The WhatsApp leg got its wacid (outbound: after `connect`).
    case linkedWhatsApp(WACID)
    /// The SIP leg got its `Call-ID` (inbound: from the answering fork).
    case linkedSIP(sipCallID: String)
    /// The WhatsApp user's call permission an outbound call met: `permanent`,
    /// `temporary`, `no_permission`, or `unknown` when the look-up failed.
    case permission(String)
    /// The callee is alerted.
    case ringing
    /// The party whose fork answered an inbound call: which member of a ring group
    /// (or which trunk) took it, so that the member's history lists the call.
    case answeredBy(SIPOrigin)
    /// The call was answered and is bridged.
    case answered
    /// A transfer was asked for, or progressed (the same `seq` again: the row is updated).
    case transferred(TransferRecord)
    /// The call ended on both legs; no longer "in progress".
    case ended(CallEnding)
}

/// A call a previous run recorded as in progress (for crash recovery).
public struct OrphanedCall: Sendable, Equatable {
    /// The previous run's call id.
    public var callID: CallID
    /// Which way.
    public var direction: BridgeDirection
    /// Meta's id, if the WhatsApp leg had one.
    public var wacid: WACID?
    /// The SIP `Call-ID`, if the SIP leg had one.
    public var sipCallID: String?
    /// The business number the call went through; nil for rows written before
    /// numbers were recorded (recovery then uses the default number).
    public var number: WhatsAppNumberID?

    /// Creates a value.
    public init(callID: CallID, direction: BridgeDirection, wacid: WACID?, sipCallID: String?,
                number: WhatsAppNumberID? = nil) {
        self.callID = callID
        self.direction = direction
        self.wacid = wacid
        self.sipCallID = sipCallID
        self.number = number
    }
}

/// What crash recovery did.
public struct RecoveryReport: Sendable, Equatable {
    /// WhatsApp calls terminated through the API.
    public var terminated: [WACID]
    /// WhatsApp calls whose terminate failed (with why).
    public var failed: [WACID: String]
    /// SIP dialogs the SIP adapter was asked to close.
    public var sipClosed: [String]
    /// The calls recovered (each recorded ended with reason `recovered`).
    public var total = 0

    /// Creates a report.
    public init(terminated: [WACID] = [], failed: [WACID: String] = [:], sipClosed: [String] = []) {
        self.terminated = terminated
        self.failed = failed
        self.sipClosed = sipClosed
    }
}
