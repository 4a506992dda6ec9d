import Config
import Logging

/// Decides who a request is from: a trunk by source address, or a user or
/// trunk by digest. Owns the nonce authenticator, the brute-force limiter and
/// the overload guard. Runs on the SIP thread only.
///
/// Only a wrong response on a nonce we issued to that address, for a user or
/// trunk that exists, counts as a password failure. Garbage credentials, other
/// addresses' nonces, unknown users, replays and stale nonces are challenged
/// again without counting, so nobody can lock a user out by naming it.
struct SIPAccessControl {
    /// The verdict on one request.
    enum Decision: Equatable {
        /// Known and authenticated.
        case identified(SIPIdentity)
        /// Send a 401/407 challenge (`stale` when only the nonce had expired or was replayed).
        case challenge(stale: Bool)
        /// 403: locked out.
        case forbidden(String)
        /// 400: the credentials cannot belong to this request (digest `uri` mismatch).
        case badRequest(String)
    }

    /// Users and trunks known; replaced by a reload (realm, algorithms and
    /// limits are restart-only and stay as built).
    private(set) var config: GatewayConfig
    private var authenticator: DigestAuthenticator
    private var limiter: AuthFailureLimiter
    private var overload: OverloadGuard
    private let logger: Logger
    /// Meta's servers per SIP-mode number; rebuilt by a reload with the addresses resolved at start.
    private var meta: MetaPeerMatcher
    /// The addresses each SIP-mode number's `sip_host` resolved to at start, by number name.
    private let metaResolved: [String: [String]]
    /// Told of each password failure and lockout (metrics).
    private let observe: (@Sendable (SIPTrafficEvent) -> Void)?

    init(config: GatewayConfig, logger: Logger, observe: (@Sendable (SIPTrafficEvent) -> Void)? = nil,
         metaResolved: [String: [String]] = [:]) {
        self.config = config
        self.logger = logger
        self.observe = observe
        self.metaResolved = metaResolved
        meta = MetaPeerMatcher(config: config, resolved: metaResolved)
        let general = config.general
        authenticator = DigestAuthenticator(
            realm: general.realm, nonceLifetime: general.nonceLifetime.seconds,
            offered: general.authAlgorithms.map { $0 == .md5 ? .md5 : .sha256 })
        limiter = AuthFailureLimiter(
            maxFailures: general.authMaxFailures ?? 0,
            window: general.authFailureWindow.seconds,
            lockout: general.authLockoutTime.seconds
        )
        overload = OverloadGuard(config: general.overload)
    }

    /// Identifies and authenticates new requests by `config`'s users and
    /// trunks. A changed secret applies to the next authentication; issued
    /// nonces and lockouts stay.
    mutating func reconfigure(_ config: GatewayConfig) {
        self.config = config
        meta = MetaPeerMatcher(config: config, resolved: metaResolved)
    }

    /// The challenge header values for a 401/407 to `request`.
    mutating func challenges(for request: SIPRequest, stale: Bool, now: Double) -> [String] {
        authenticator.challenges(now: now, source: request.source.host, stale: stale)
    }

    /// The overload check, run before any other work on an out-of-dialog
    /// INVITE or REGISTER: nil to proceed, else the Retry-After for a 503.
    /// Logs the first refusal per source and period.
    mutating func admit(_ request: SIPRequest, now: Double) -> Int? {
        let trunk = request.method == "INVITE"
            ? config.trunk(matchingSource: request.source.host, port: request.source.port)?.name : nil
        let trusted = limiter.authenticatedRecently(source: request.source.host, now: now)
        guard let refusal = overload.admit(method: request.method, source: request.source.host, trunk: trunk,
                                           trusted: trusted, now: now) else {
            return nil
        }
        if refusal.log {
            logger.warning("request rate limited", metadata: [
                "source_ip": "\(request.source.host)", "method": "\(request.method)", "limit": "\(refusal.limit)",
                "retry_after": "\(refusal.retryAfter)", "sip_call_id": "\(request.callID)",
            ])
        }
        return refusal.retryAfter
    }

    /// Checks a request. Trunks are recognised by address only when `trunksByAddress`.
    /// Meta's INVITEs (TLS, Meta's networks, a SIP-mode number: `MetaPeerMatcher`) are
    /// identified as `.meta` before trunks; anything else claiming to be Meta is
    /// judged as any other source.
    mutating func check(_ request: SIPRequest, trunksByAddress: Bool, now: Double) -> Decision {
        if trunksByAddress, let peer = meta.match(request) {
            return peer.inboundAuth ? checkMeta(request, peer: peer, now: now) : .identified(.meta(peer.name))
        }
        if trunksByAddress, let trunk = config.trunk(matchingSource: request.source.host, port: request.source.port,
                                                     transport: SIPTransport(rawValue: request.source.transport) ?? .udp) {
            return .identified(.trunk(trunk.name))
        }
        let source = request.source.host
        let claimed = request.authorization?["username"]
        if let lock = limiter.lock(source: source, user: claimed, now: now) {
            return .forbidden(lock == .source ? "Too many failed authentications from this address"
                                              : "Too many failed authentications for this user")
        }
        guard let parameters = request.authorization, let credentials = DigestCredentials(parameters: parameters),
              let (identity, password) = lookup(credentials.username, trunks: trunksByAddress) else {
            return .challenge(stale: false)
        }
        let verdict = authenticator.verify(credentials, method: request.method, requestURI: request.requestURI,
                                           source: source, password: password, now: now)
        switch verdict {
        case .accepted:
            limiter.recordSuccess(source: source, user: credentials.username, now: now)
            return .identified(identity)
        case .stale, .replayed:
            return .challenge(stale: true)
        case .uriMismatch:
            return .badRequest("digest uri does not match the Request-URI")
        case .unusable(let reason):
            logger.debug("credentials not usable", metadata: ["source_ip": "\(source)", "reason": "\(reason)"])
            return .challenge(stale: false)
        case .rejected:
            return recordFailure(request, user: credentials.username, now: now)
        }
    }

    /// Logs and counts a password failure; 403 when it starts or meets a lockout.
    private mutating func recordFailure(_ request: SIPRequest, user: String, now: Double) -> Decision {
        let source = request.source.host
        logger.warning("digest authentication failed", metadata: [
            "source_ip": "\(source)", "user": "\(user)", "method": "\(request.method)", "sip_call_id": "\(request.callID)",
        ])
        observe?(.authFailure)
        for lockout in limiter.recordFailure(source: source, user: user, now: now) {
            observe?(.lockout(scope: lockout.scope == .source ? "source" : "user"))
            logger.warning("authentication lockout", metadata: [
                "scope": "\(lockout.scope == .source ? "source" : "user")",
                lockout.scope == .source ? "source_ip" : "user": "\(lockout.key)",
                "seconds": "\(Int(lockout.until - now))",
            ])
        }
        if let lock = limiter.lock(source: source, user: user, now: now) {
            return .forbidden(lock == .source ? "Too many failed authentications from this address"
                                              : "Too many failed authentications for this user")
        }
        return .challenge(stale: false)
    }

    /// Digest for Meta's INVITE to a number with `sip_inbound_auth`: only the
    /// number's own credentials pass.
    private mutating func checkMeta(_ request: SIPRequest, peer: MetaPeerMatcher.Peer, now: Double) -> Decision {
        guard let parameters = request.authorization, let credentials = DigestCredentials(parameters: parameters),
              credentials.username == peer.username, !peer.password.isEmpty else {
            return .challenge(stale: false)
        }
        switch authenticator.verify(credentials, method: request.method, requestURI: request.requestURI,
                                    source: request.source.host, password: peer.password, now: now) {
        case .accepted: return .identified(.meta(peer.name))
        case .stale, .replayed: return .challenge(stale: true)
        case .uriMismatch: return .badRequest("digest uri does not match the Request-URI")
        case .unusable: return .challenge(stale: false)
        case .rejected: return recordFailure(request, user: credentials.username, now: now)
        }
    }

    private func lookup(_ username: String, trunks: Bool) -> (SIPIdentity, String)? {
        if let user = config.user(named: username) {
            return (.user(user.name), user.secret.reveal())
        }
        if trunks, let trunk = config.trunks.first(where: { $0.inboundCredentials?.username == username }),
           let credentials = trunk.inboundCredentials {
            return (.trunk(trunk.name), credentials.secret.reveal())
        }
        return nil
    }
}

extension Duration {
    /// The duration in (fractional) seconds.
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
