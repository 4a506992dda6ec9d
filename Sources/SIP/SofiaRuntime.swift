import CSofiaSIP
import CSofiaShims
public import Config
import Foundation
import Logging

/// Everything that lives on the SIP thread: the su_root, the nua, the map from
/// our handle ids to nua handles, access control and the registrar's writer.
///
/// Ownership: created by `SIPStack`, retained by it for the thread's life; the
/// nua callback gets it back through `magic` (unretained). Thread: only the
/// SIP thread touches any of its state.
final class SofiaRuntime {
    var root: OpaquePointer?
    var nua: OpaquePointer?
    var handles: [UInt64: OpaquePointer] = [:]
    /// Handles whose dialog is confirmed (a later INVITE on them is a re-INVITE).
    var established: Set<UInt64> = []
    /// Re-INVITEs and UPDATEs waiting for call control's answer, at most one per dialog.
    var pendingInDialog: [UInt64: PendingInDialogRequest] = [:]
    /// Sweeps `pendingInDialog` for overdue answers while it is not empty.
    var inDialogTimer: OpaquePointer?
    /// Our last SDP per dialog the phone placed: the answer to an offer the
    /// phone makes in its 2xx to nua's offerless session refresh.
    var localSDP: [UInt64: String] = [:]
    /// Contact of our responses in dialogs a peer set up, naming the listener of
    /// the transport its INVITE came over (see ``responseContact(for:)``).
    var responseContact: [UInt64: String] = [:]
    /// Credentials for challenged outgoing INVITEs, and how far the answering went.
    var credentials: [UInt64: OutgoingDigest] = [:]
    /// Rate limit of the warnings about refused credentials, and what it dropped.
    var digestWarnings = TokenBucket(burst: SofiaRuntime.digestWarningBurst, now: SofiaRuntime.now())
    var digestWarningsDropped = 0
    /// Handles whose initial INVITE got (or was given) a 2xx: any later INVITE
    /// response on them answers a re-INVITE of ours, inside the dialog.
    var answered: Set<UInt64> = []
    /// Answered dialogs the phone placed (we answered its INVITE).
    var uasDialogs: Set<UInt64> = []
    var access: SIPAccessControl
    let registrar: Registrar
    let settings: SIPStackSettings
    let logger: Logger
    let emit: @Sendable (SIPEvent) -> Void
    let allocateID: () -> UInt64
    var shutdownComplete = false
    /// The live-handle count last published through `settings.handleCount`.
    var reportedHandles = -1
    var shutdownStarted = false
    /// The method of the request the nua callback is handling now (for counting the responses to it).
    var servingMethod: String?
    /// Handles whose initial INVITE a CANCEL ended: nua has answered it 487, so
    /// a later answer from call control is never sent (nor counted).
    var cancelled: Set<UInt64> = []
    /// Who placed each dialog that came in (a user or a trunk): a REFER on it
    /// is judged by `[transfer]` with this identity.
    var dialogPeers: [UInt64: SIPIdentity] = [:]
    /// The REFER accepted on a dialog and not yet finally NOTIFYed, at most one per dialog.
    var pendingRefers: [UInt64: PendingRefer] = [:]
    /// The configuration as last applied (`reconfigure`): `[transfer]` and trunks for REFER.
    var config: GatewayConfig
    /// False while the gateway drains: an out-of-dialog OPTIONS gets 503.
    var acceptingCalls = true

    init(settings: SIPStackSettings, registrar: Registrar, logger: Logger,
         allocateID: @escaping () -> UInt64, emit: @escaping @Sendable (SIPEvent) -> Void) {
        self.settings = settings
        self.access = SIPAccessControl(config: settings.config, logger: logger, observe: settings.observe,
                                       metaResolved: settings.metaSourceAddresses)
        self.config = settings.config
        self.registrar = registrar
        self.logger = logger
        self.allocateID = allocateID
        self.emit = emit
        if !SofiaDigestPlugin.install() {
            logger.error("digest plugin not installed: outgoing digest is sofia's own, MD5 only")
        }
    }

    static func now() -> Double { Date().timeIntervalSince1970 }

    // MARK: - Handles

    func id(of nh: OpaquePointer?, hmagic: UnsafeMutableRawPointer?) -> UInt64? {
        guard let hmagic else { return nil }
        return UInt64(UInt(bitPattern: hmagic))
    }

    /// Gives a nua-created handle (incoming request) one of our ids.
    func adopt(_ nh: OpaquePointer) -> UInt64 {
        let id = allocateID()
        nua_handle_bind(nh, UnsafeMutableRawPointer(bitPattern: UInt(id)))
        handles[id] = nh
        return id
    }

    func forget(_ id: UInt64) {
        guard let nh = handles.removeValue(forKey: id) else { return }
        established.remove(id)
        dropInDialog(id)
        credentials[id] = nil
        responseContact[id] = nil
        localSDP[id] = nil
        answered.remove(id)
        uasDialogs.remove(id)
        cancelled.remove(id)
        dialogPeers[id] = nil
        pendingRefers[id] = nil
        nua_handle_bind(nh, nil)
        nua_handle_destroy(nh)
    }

    // MARK: - Responding

    /// Responds to the request being processed right now (inside the callback).
    func respondCurrent(_ nh: OpaquePointer?, _ status: Int, _ phrase: String, _ build: (TagList) -> Void = { _ in }) {
        let tags = TagList()
        tags.add(sofia_nutag_with_this(nua))
        build(tags)
        tags.withTags { sofia_nua_respond(nh, Int32(status), reasonPhrase(status, phrase, on: nh), $0) }
        countSent(response: servingMethod ?? "other", status: status)
    }

    /// Answers the current request with `status` and `Warning: 399 wagate "…"`.
    func respondCurrent(_ nh: OpaquePointer?, _ status: Int, warning: String) {
        respondCurrent(nh, status, "") { tags in
            if let warning = SIPWarning(warning) { tags.add(warning.description, sofia_siptag_warning_str) }
        }
    }

    /// The reason phrase to send as a C string that outlives the call: nua keeps
    /// the phrase pointer until the transaction ends (it is not copied like
    /// tags), so a Swift temporary would dangle. The standard phrase (and an
    /// empty or unprintable request) uses sofia's static string; any other
    /// phrase, cleaned by `SIPHeaderText.reasonPhrase`, is copied into the
    /// handle's memory and freed with the handle.
    func reasonPhrase(_ status: Int, _ requested: String, on nh: OpaquePointer?) -> UnsafePointer<CChar> {
        let standard = Self.staticPhrase(status)
        guard let text = SIPHeaderText.reasonPhrase(requested), text != String(cString: standard),
              let copy = sofia_handle_strdup(nh, text) else { return standard }
        return copy
    }

    /// The standard reason phrase for `status` as a static C string (RFC 3261
    /// §21), or `Unknown` for a code sofia has no phrase for.
    static func staticPhrase(_ status: Int) -> UnsafePointer<CChar> {
        if let phrase = sip_status_phrase(Int32(status)) { return phrase }
        return UnsafeRawPointer(unknownPhrase.utf8Start).assumingMemoryBound(to: CChar.self)
    }

    private static let unknownPhrase: StaticString = "Unknown"

    /// Responds to the pending initial INVITE on `nh` later, outside the callback.
    func respond(_ nh: OpaquePointer?, _ status: Int, _ phrase: String, sdp: String?, headers: [String], contact: String? = nil) {
        let tags = TagList()
        if let contact { tags.add(contact, sofia_siptag_contact_str) }
        if let sdp {
            tags.add("application/sdp", sofia_siptag_content_type_str)
            tags.add(sdp, sofia_siptag_payload_str)
        }
        for header in headers { tags.add(header, sofia_siptag_header_str) }
        tags.withTags { sofia_nua_respond(nh, Int32(status), reasonPhrase(status, phrase, on: nh), $0) }
    }

    /// The Contact for our responses to `request`, or nil when sofia's own is right.
    /// Over TLS with a `sip:` Request-URI: `<sip:…;transport=tls>` of the TLS listener
    /// (RFC 3261 §12.1.1: a sips Contact only when the request used sips; many
    /// phones know no sips). Over UDP or TCP while a TLS listener exists: the plain
    /// listener, because nua would otherwise name the `sips:` listener and a phone
    /// without TLS could not send its ACK or BYE.
    func responseContact(for request: SIPRequest) -> String? {
        if request.source.transport == "tls" {
            return request.requestURI.lowercased().hasPrefix("sip:") ? tlsListenerContact() : nil
        }
        let listeners = settings.config.general.listeners
        guard listeners.contains(where: { $0.transport == .tls }),
              let plain = listeners.first(where: { $0.transport.rawValue == request.source.transport })
                ?? listeners.first(where: { $0.transport != .tls }) else { return nil }
        let host = settings.config.general.externalAddress ?? plain.address.host
        let transport = plain.transport == .udp ? nil : plain.transport.rawValue
        return "<\(SIPURI(host: host, port: plain.address.port, transport: transport))>"
    }

    /// `<sip:HOST:PORT;transport=tls>` of the TLS listener (the external address when set); nil without one.
    func tlsListenerContact() -> String? {
        guard let listener = settings.config.general.listeners.first(where: { $0.transport == .tls }) else { return nil }
        let host = settings.config.general.externalAddress ?? listener.address.host
        return "<\(SIPURI(host: host, port: listener.address.port, transport: "tls"))>"
    }

    /// Answers 503 with Retry-After: the request exceeded a rate limit.
    func shed(_ nh: OpaquePointer?, retryAfter: Int) {
        respondCurrent(nh, 503, "Service Unavailable") { $0.add(SIPRetryAfter(seconds: retryAfter).header, sofia_siptag_header_str) }
    }

    func challenge(_ nh: OpaquePointer?, _ request: SIPRequest, isRegister: Bool, stale: Bool) {
        let values = access.challenges(for: request, stale: stale, now: Self.now())
        if isRegister {
            respondCurrent(nh, 401, "Unauthorized") { tags in
                for value in values { tags.add(value, sofia_siptag_www_authenticate_str) }
            }
        } else {
            respondCurrent(nh, 407, "Proxy Authentication Required") { tags in
                for value in values { tags.add(value, sofia_siptag_proxy_authenticate_str) }
            }
        }
    }
}

/// The settings the SIP stack starts with.
public struct SIPStackSettings: Sendable {
    /// The validated configuration (users, trunks, realm, listeners, timers).
    public var config: GatewayConfig
    /// Directory holding `agent.pem` (key + certificate) for TLS, prepared by the stack.
    public var tlsDirectory: String?
    /// Called on the SIP thread with the number of live nua handles the stack
    /// holds (dialogs, pending requests) whenever it changes (a metrics gauge).
    public var handleCount: (@Sendable (Int) -> Void)?
    /// Called on the SIP thread once per request or response seen and per digest
    /// failure or lockout (metrics counters; must not block).
    public var observe: (@Sendable (SIPTrafficEvent) -> Void)?
    /// By SIP-mode number name, the addresses its `sip_host` resolved to at start:
    /// where Meta's INVITEs may come from when the number lists no `sip_source_networks`.
    public var metaSourceAddresses: [String: [String]] = [:]

    /// Creates settings from a configuration.
    public init(config: GatewayConfig) {
        self.config = config
    }
}
