// What the admin API answers with. Encoded with snake_case keys and ISO 8601
// times; docs/admin-openapi.yaml describes every field, and the web console reads them.

public import Foundation

/// A live call with both legs.
public struct AdminCall: Codable, Sendable, Equatable {
    /// The gateway's call id.
    public var callID: String
    /// `outbound` (SIP → WhatsApp), `inbound`, `echo` or `callback`.
    public var direction: String
    /// The call's state machine phase, e.g. `outbound.answered`.
    public var phase: String
    /// `setup`, `ringing`, `answered` or `ending`.
    public var state: String
    /// Meta's call id, once known.
    public var wacid: String?
    /// The SIP Call-ID of the SIP leg, once known.
    public var sipCallID: String?
    /// The business number's name in the configuration.
    public var number: String?
    /// The SIP leg.
    public var sip: AdminLeg
    /// The WhatsApp leg (absent for the echo test).
    public var whatsapp: AdminLeg?
    /// What the bridge does with the audio (absent without a bridge).
    public var media: AdminMedia?

    /// Creates a call.
    public init(callID: String, direction: String, phase: String, state: String, wacid: String?, sipCallID: String?,
                number: String?, sip: AdminLeg, whatsapp: AdminLeg?, media: AdminMedia? = nil) {
        self.media = media
        self.callID = callID
        self.direction = direction
        self.phase = phase
        self.state = state
        self.wacid = wacid
        self.sipCallID = sipCallID
        self.number = number
        self.sip = sip
        self.whatsapp = whatsapp
    }
}

/// One leg of a live call.
public struct AdminLeg: Codable, Sendable, Equatable {
    /// `setup`, `ringing`, `answered` or `ended`.
    public var state: String
    /// Live quality of what this leg receives; nil before media flows.
    public var quality: AdminQuality?

    /// Creates a leg.
    public init(state: String, quality: AdminQuality? = nil) {
        self.state = state
        self.quality = quality
    }
}

/// Live receive quality of one leg.
public struct AdminQuality: Codable, Sendable, Equatable {
    /// RTP packets received.
    public var packetsReceived: Int
    /// RTP packets lost (RFC 3550 cumulative loss).
    public var packetsLost: Int
    /// Interarrival jitter, milliseconds.
    public var jitterMs: Double
    /// Round-trip time from RTCP, milliseconds, when known.
    public var rttMs: Double?
    /// Estimated MOS (1–4.5), when known.
    public var mos: Double?

    /// Creates a quality sample.
    public init(packetsReceived: Int, packetsLost: Int, jitterMs: Double, rttMs: Double? = nil, mos: Double? = nil) {
        self.packetsReceived = packetsReceived
        self.packetsLost = packetsLost
        self.jitterMs = jitterMs
        self.rttMs = rttMs
        self.mos = mos
    }
}

/// A registered contact.
public struct AdminRegistration: Codable, Sendable, Equatable {
    /// The user (section name).
    public var user: String
    /// The Contact URI.
    public var contact: String
    /// Where the REGISTER came from, `HOST:PORT`.
    public var source: String
    /// `udp`, `tcp` or `tls`.
    public var transport: String
    /// When the binding lapses.
    public var expiresAt: Date
    /// The phone's User-Agent.
    public var userAgent: String?

    /// Creates a registration.
    public init(user: String, contact: String, source: String, transport: String, expiresAt: Date, userAgent: String?) {
        self.user = user
        self.contact = contact
        self.source = source
        self.transport = transport
        self.expiresAt = expiresAt
        self.userAgent = userAgent
    }
}

/// Filters of `GET /api/v1/cdrs`; set ones are combined with AND.
public struct AdminRecordQuery: Sendable, Equatable {
    /// Calls set up at or after.
    public var since: Date?
    /// Calls set up before.
    public var until: Date?
    /// The business number (name, phone_number_id or E.164).
    public var number: String?
    /// The caller, or the calling user behind a trunk, exactly.
    public var caller: String?
    /// The callee, exactly.
    public var callee: String?
    /// `inbound` or `outbound`.
    public var direction: String?
    /// Only ended calls that were never answered.
    public var failed = false
    /// At most this many, newest first.
    public var limit = 100
    /// Rows skipped (paging).
    public var offset = 0

    /// Creates an empty query (every call, first page).
    public init() {}
}

/// Whether the node takes new calls.
public struct AdminReadiness: Codable, Sendable, Equatable {
    /// True when new calls are taken.
    public var ready: Bool
    /// Why not: `draining`, `meta_unreachable`.
    public var reasons: [String]
    /// Calls in the table.
    public var activeCalls: Int
    /// True while new calls are refused (drain).
    public var draining: Bool

    /// Creates a readiness report.
    public init(reasons: [String], activeCalls: Int, draining: Bool) {
        self.ready = reasons.isEmpty
        self.reasons = reasons
        self.activeCalls = activeCalls
        self.draining = draining
    }
}

/// A refusal of the admin API: its status and a safe message.
public struct AdminFailure: APIFailure, Sendable, Equatable {
    /// The HTTP status.
    public var status: Int
    /// What went wrong.
    public var message: String

    /// Creates a failure.
    public init(status: Int, _ message: String) {
        self.status = status
        self.message = message
    }
}

/// One transfer of a call, in a call detail record's `transfers`.
public struct AdminTransfer: Codable, Sendable, Equatable {
    /// 1 for the call's first transfer.
    public var seq: Int
    /// `blind` or `attended`.
    public var kind: String
    /// The user who transferred, when known.
    public var byUser: String?
    /// The target (`user:bob`, `group:sales`, `trunk:pbx/2001`).
    public var target: String
    /// When it was asked for.
    public var startedAt: Date
    /// `pending`, `answered`, `returned`, `fallback` or `failed`.
    public var outcome: String
    /// Who took the call, once someone did.
    public var answeredBy: String?
    /// The SIP status reported to the transferor when it failed.
    public var sipStatus: Int?

    /// Creates a transfer.
    public init(seq: Int, kind: String, byUser: String?, target: String, startedAt: Date, outcome: String,
                answeredBy: String?, sipStatus: Int?) {
        self.seq = seq
        self.kind = kind
        self.byUser = byUser
        self.target = target
        self.startedAt = startedAt
        self.outcome = outcome
        self.answeredBy = answeredBy
        self.sipStatus = sipStatus
    }
}
