public import Foundation

/// One call as stored: both legs' ids, direction, parties, the times it was set
/// up, rang, was answered and ended, why and by whom, codecs and media
/// statistics. A row without `endAt` is a call in progress; after a crash those
/// rows are what the next start cleans up.
public struct CallDetailRecord: Sendable, Equatable, Codable {
    /// The gateway's own call id.
    public var callID: String
    /// `outbound` (SIP → WhatsApp) or `inbound` (WhatsApp → SIP).
    public var direction: String
    /// The SIP leg's Call-ID.
    public var sipCallID: String?
    /// The WhatsApp call id (wacid).
    public var wacid: String?
    /// Who called (a +E164 number, or a SIP user).
    public var caller: String
    /// Who was called.
    public var callee: String
    /// The SIP user or trunk on the SIP leg.
    public var sipParty: String?
    /// When the call was set up.
    public var setupAt: Date
    /// When it started ringing.
    public var ringAt: Date?
    /// When it was answered.
    public var answerAt: Date?
    /// When it ended; nil while in progress.
    public var endAt: Date?
    /// Why it ended: a `CallEndReason` value (`normal`, `cancelled`, `rejected`, `no_answer`, `not_found`, ...).
    public var endReason: String?
    /// Who ended it: `sip`, `whatsapp`, `gateway`.
    public var endedBy: String?
    /// SIP-side codec.
    public var sipCodec: String?
    /// WhatsApp-side codec.
    public var whatsappCodec: String?
    /// Media statistics (JSON text).
    public var statistics: String?
    /// The WhatsApp user's phone number (`+E164`), when Meta gave one.
    public var waPhone: String?
    /// The WhatsApp user's business-scoped user id.
    public var waBSUID: String?
    /// The WhatsApp user's parent BSUID.
    public var waParentBSUID: String?
    /// The WhatsApp user's username.
    public var waUsername: String?
    /// The WhatsApp user's profile name.
    public var waProfileName: String?
    /// The business number the call went through (its Graph `phone_number_id`).
    public var phoneNumberID: String?
    /// The user part of the SIP From: the calling user behind a trunk (`sipParty` is `trunk:NAME`).
    public var sipFromUser: String?
    /// The SIP final status sent or received when the call ended before or without a 200, if one was.
    public var sipStatus: Int?
    /// Meta's error code (Graph error or terminate webhook), if one was involved.
    public var metaErrorCode: Int?
    /// Meta's `fbtrace_id` of the failing Graph request, for Meta support.
    public var fbtraceID: String?
    /// The user's call permission when an outbound call was placed (`granted`, `temporary`, `no_permission`, ...).
    public var permissionState: String?
    /// The gateway's own recording of the call (a file path), if it recorded one.
    public var recordingPath: String?
    /// The SIP leg's media figures at call end.
    public var sipQuality = CallLegQuality()
    /// The WhatsApp leg's media figures at call end.
    public var whatsappQuality = CallLegQuality()
    /// Meta's recording of the call: `requested`, then `available` (with its media) when Meta reports it.
    public var metaRecording = MetaArtifactColumns()
    /// Meta's transcript of the call, as ``metaRecording``.
    public var metaTranscription = MetaArtifactColumns()
    /// How many times the call was transferred.
    public var transferCount = 0
    /// Who took the call at its last transfer (a target label: `user:bob`); nil when never transferred.
    public var answeredBy: String?
    /// The cluster node that carries (or carried) the call; nil on a single node.
    public var nodeID: String?

    /// Answered seconds, when it was answered and has ended.
    public var duration: TimeInterval? {
        guard let answerAt, let endAt else { return nil }
        return endAt.timeIntervalSince(answerAt)
    }

    /// Creates a record for a call being set up.
    public init(callID: String, direction: String, sipCallID: String? = nil, wacid: String? = nil, caller: String,
                callee: String, sipParty: String? = nil, setupAt: Date) {
        self.callID = callID
        self.direction = direction
        self.sipCallID = sipCallID
        self.wacid = wacid
        self.caller = caller
        self.callee = callee
        self.sipParty = sipParty
        self.setupAt = setupAt
    }
}
