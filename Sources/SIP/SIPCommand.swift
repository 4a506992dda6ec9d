public import Config

/// What the rest of the gateway asks of the SIP front end. Executed in order
/// on the SIP thread (the only thread that may call `nua_*`).
public enum SIPCommand: Sendable {
    /// Answer the request pending on `handle`: the re-INVITE or UPDATE waiting
    /// for an answer, else the initial INVITE.
    case respond(SIPHandle, status: Int, phrase: String, sdp: String?, headers: [String])
    /// Send an INVITE on a new handle (from `SIPStack.makeHandle()`).
    case invite(SIPHandle, SIPOutgoingCall)
    /// Ring several targets at once as forks of one call (every registered
    /// contact of a user, a simultaneous ring group): the first 2xx wins, the
    /// other forks are CANCELled, and a fork that answers too late gets a BYE.
    /// Each fork reports its own `inviteResponse`/`terminated` events.
    case inviteForks([(SIPHandle, SIPOutgoingCall)])
    /// Hang up an established dialog.
    case bye(SIPHandle)
    /// Cancel an INVITE we sent that has no final response yet.
    case cancel(SIPHandle)
    /// Send INFO with a DTMF digit (`application/dtmf-relay`).
    case info(SIPHandle, digit: Character, durationMs: Int)
    /// Send an out-of-dialog OPTIONS (keepalive/qualify) on a new handle to `uri`,
    /// through `proxy` when set; the handle is freed after the final response.
    case options(SIPHandle, uri: String, proxy: String?)
    /// NOTIFY the REFER pending on `handle` (RFC 3515 §2.4.4): a
    /// `message/sipfrag` body `SIP/2.0 <status> <phrase>`, `Subscription-State:
    /// terminated` when `terminated`, which also ends the pending REFER. Nothing
    /// is sent when the dialog has no pending REFER.
    case notifyRefer(SIPHandle, status: Int, terminated: Bool)
    /// Forget a handle and free it.
    case destroy(SIPHandle)
    /// Authenticate and identify new requests by `config`'s users and trunks
    /// (a reload); dialogs in progress are not touched.
    case reconfigure(GatewayConfig)
    /// Whether new calls are taken: while not (a drain), an out-of-dialog OPTIONS
    /// is answered 503, so a dispatcher probing the gateway (Kamailio's
    /// `dispatcher`, OpenSIPS's `load_balancer`) stops sending it calls.
    case acceptingCalls(Bool)
}

/// An INVITE the gateway places (to a registered contact or a trunk).
public struct SIPOutgoingCall: Sendable {
    /// Request-URI, e.g. the registered contact or `sip:number@trunk-host`.
    public var requestURI: String
    /// To header value.
    public var to: String
    /// From header value (display name and URI).
    public var from: String
    /// Where to send it when not to the Request-URI (NATed phones: the address
    /// they registered from), e.g. `sip:198.51.100.7:40512;transport=udp`.
    public var proxy: String?
    /// SDP offer.
    public var sdp: String
    /// Extra raw headers, e.g. `P-Asserted-Identity: <sip:+4477…@gw>`.
    public var headers: [String]
    /// Credentials for 401/407 challenges (trunks): username and password.
    public var credentials: (username: String, password: String)?
    /// Attended transfer: the dialog this INVITE replaces, sent as `Replaces`
    /// with `Require: replaces` (RFC 3891).
    public var replaces: SIPOutgoingReplaces?
    /// Set for an INVITE to Meta's SIP servers for this SIP-mode number: its dialog
    /// gets no session timer, and INFO on it is acknowledged without effect.
    public var metaNumber: String?

    /// Creates an outgoing call description.
    public init(requestURI: String, to: String, from: String, proxy: String? = nil, sdp: String,
                headers: [String] = [], credentials: (username: String, password: String)? = nil) {
        self.requestURI = requestURI
        self.to = to
        self.from = from
        self.proxy = proxy
        self.sdp = sdp
        self.headers = headers
        self.credentials = credentials
    }
}

/// The dialog an outgoing INVITE replaces (RFC 3891).
public enum SIPOutgoingReplaces: Sendable, Equatable {
    /// A value copied from a REFER's Refer-To (a dialog wagate is not part of).
    case value(ReplacesHeader)
    /// The dialog of one of the stack's own handles, rendered on the SIP thread
    /// from that dialog's Call-ID and tags as its far end sees them.
    case dialog(SIPHandle)
}
