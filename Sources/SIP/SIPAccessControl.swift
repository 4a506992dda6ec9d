import Config

/// Decides who a request is from: a trunk by source address, or a user or
/// trunk by digest. Owns the nonce authenticator and the brute-force limiter.
/// Runs on the SIP thread only.
struct SIPAccessControl {
    /// The verdict on one request.
    enum Decision: Equatable {
        /// Known and authenticated.
        case identified(SIPIdentity)
        /// Send a 401/407 challenge (`stale` when only the nonce had expired).
        case challenge(stale: Bool)
        /// 403: locked out, or credentials for an unknown user.
        case forbidden(String)
    }

    let config: GatewayConfig
    private(set) var authenticator: DigestAuthenticator
    private var limiter: AuthFailureLimiter

    init(config: GatewayConfig) {
        self.config = config
        let general = config.general
        authenticator = DigestAuthenticator(
            realm: general.realm, nonceLifetime: general.nonceLifetime.seconds,
            offered: general.authAlgorithms.map { $0 == .md5 ? .md5 : .sha256 })
        limiter = AuthFailureLimiter(
            maxFailures: general.authMaxFailures ?? 0,
            window: general.authFailureWindow.seconds,
            lockout: general.authLockoutTime.seconds
        )
    }

    /// Checks a request. Trunks are recognised by address only when `trunksByAddress`.
    mutating func check(_ request: SIPRequest, trunksByAddress: Bool, now: Double) -> Decision {
        if trunksByAddress, let trunk = config.trunk(matchingSource: request.source.host, port: request.source.port,
                                                     transport: SIPTransport(rawValue: request.source.transport) ?? .udp) {
            return .identified(.trunk(trunk.name))
        }
        let claimed = request.authorization?["username"]
        if limiter.isLocked(source: request.source.host, user: claimed, now: now) {
            return .forbidden("Too many failed authentications")
        }
        guard let parameters = request.authorization, let credentials = DigestCredentials(parameters: parameters) else {
            return .challenge(stale: false)
        }
        guard let (identity, password) = lookup(credentials.username, trunks: trunksByAddress) else {
            limiter.recordFailure(source: request.source.host, user: nil, now: now)
            return .challenge(stale: false)
        }
        switch authenticator.verify(credentials, method: request.method, password: password, now: now) {
        case .accepted:
            limiter.recordSuccess(source: request.source.host, user: credentials.username)
            return .identified(identity)
        case .stale:
            return .challenge(stale: true)
        case .rejected:
            limiter.recordFailure(source: request.source.host, user: credentials.username, now: now)
            if limiter.isLocked(source: request.source.host, user: credentials.username, now: now) {
                return .forbidden("Too many failed authentications")
            }
            return .challenge(stale: false)
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
