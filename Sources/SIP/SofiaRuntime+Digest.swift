import CSofiaSIP
import CSofiaShims
import Logging

/// The credentials an outgoing INVITE answers challenges with, and how far
/// the answering went. Owned by the SIP thread, one per handle.
struct OutgoingDigest {
    /// Our user name (from the trunk or number configuration).
    var username: String
    /// Our password; never logged.
    var password: String
    /// The host of the Request-URI, for the log.
    var host: String
    /// Challenges answered so far (at most one).
    var attempts = 0
    /// The challenge answered, for the warning when the answer is refused.
    var answered: DigestChallenge?
    /// The challenge response reported as the final answer, once it is.
    var settled: (status: Int, phrase: String)?

    /// Credentials for an INVITE to `requestURI`.
    init(username: String, password: String, requestURI: String) {
        self.username = username
        self.password = password
        self.host = DigestURI.parts(requestURI)?.host ?? "?"
    }
}

extension SofiaRuntime {
    /// Warnings about refused credentials a second, and the burst above that.
    static let digestWarningRate = 1.0, digestWarningBurst = 10.0

    /// Handles a 401/407 (or sofia's 900/904 that follows our giving up) to
    /// an INVITE that carries credentials. Returns true when the response is
    /// consumed here (the request is retried, or already reported).
    ///
    /// The first challenge with an answerable Digest challenge is answered
    /// (the plugin writes the header; nua retries with CSeq + 1). A second
    /// challenge, or one that cannot be answered, is final: one warning, the
    /// response reported as it came (false: the caller reports it), and nua's
    /// waiting request ended by `nua_authenticate` without credentials (its
    /// 904 is then swallowed, and the dialog's end reports our status).
    func handleChallenge(_ nh: OpaquePointer?, _ known: UInt64, status: Int, phrase: String,
                         sip: UnsafePointer<sip_t>?) -> Bool {
        guard var entry = credentials[known] else { return false }
        if entry.settled != nil { return status >= SIPFailureCause.firstInternalStatus }
        if status == 403, entry.attempts == 1, let answered = entry.answered {
            // Meta (and chan_sip-style servers) answer a wrong digest response with
            // 403 rather than a second challenge: the same warning, once.
            entry.attempts = 2
            credentials[known] = entry
            warnDigestFailure(entry, challenge: .success(answered), sip: sip, status: status)
            return false
        }
        guard status == 401 || status == 407 else { return false }
        let challenge = sip.map(Self.strongestChallenge) ?? .failure(.missing("challenge"))
        if entry.attempts == 0, case .success(let answerable) = challenge {
            entry.attempts = 1
            entry.answered = answerable
            credentials[known] = entry
            let tags = TagList()
            tags.add(SofiaDigestPlugin.credentialsTag(username: entry.username, password: entry.password), sofia_nutag_auth)
            tags.withTags { sofia_nua_authenticate(nh, $0) }
            countSent(request: "INVITE")
            return true
        }
        entry.settled = (status, phrase)
        credentials[known] = entry
        warnDigestFailure(entry, challenge: challenge, sip: sip)
        TagList().withTags { sofia_nua_authenticate(nh, $0) }
        return false
    }

    /// The status to report when the dialog of `known` ends: the challenge we
    /// gave up on rather than sofia's internal code for it.
    func settledChallenge(_ known: UInt64) -> (status: Int, phrase: String)? {
        credentials[known]?.settled
    }

    /// The strongest answerable challenge of a response (RFC 8760 §2.4).
    static func strongestChallenge(_ sip: UnsafePointer<sip_t>) -> Result<DigestChallenge, DigestChallenge.Refusal> {
        var values: [Result<DigestChallenge, DigestChallenge.Refusal>] = []
        for header in [UnsafeRawPointer(sip.pointee.sip_www_authenticate), UnsafeRawPointer(sip.pointee.sip_proxy_authenticate)] {
            var cursor = header?.assumingMemoryBound(to: msg_auth_t.self)
            while let auth = cursor, values.count < 16 {
                let scheme = auth.pointee.au_scheme.map { String(cString: $0) } ?? ""
                values.append(scheme.lowercased() == "digest"
                    ? DigestChallenge.parse(parameters: SofiaDigestPlugin.strings(auth.pointee.au_params))
                    : .failure(.notDigest))
                cursor = auth.pointee.au_next.map { UnsafeRawPointer($0).assumingMemoryBound(to: msg_auth_t.self) }
            }
        }
        return DigestChallenge.strongest(values)
    }

    private func warnDigestFailure(_ entry: OutgoingDigest, challenge: Result<DigestChallenge, DigestChallenge.Refusal>,
                                   sip: UnsafePointer<sip_t>?, status: Int? = nil) {
        let now = Self.now()
        guard digestWarnings.take(rate: Self.digestWarningRate, burst: Self.digestWarningBurst, now: now) == nil else {
            digestWarningsDropped += 1
            return
        }
        var metadata: Logger.Metadata = ["host": "\(entry.host)", "user": "\(entry.username)"]
        if let status {
            metadata["status"] = "\(status)"
            metadata["note"] = "a 403 to the authorised request: a wrong password, or a call the server refuses itself"
        }
        if let callID = sip?.pointee.sip_call_id?.pointee.i_id { metadata["sip_call_id"] = "\(String(cString: callID))" }
        if digestWarningsDropped > 0 { metadata["log_dropped"] = "\(digestWarningsDropped)" }
        digestWarningsDropped = 0
        switch challenge {
        case .success(let answerable):
            metadata["realm"] = "\(answerable.realm)"
            metadata["algorithm"] = "\(answerable.algorithmToken)"
            logger.warning("digest credentials rejected", metadata: metadata)
        case .failure(let refusal):
            metadata["reason"] = "\(refusal)"
            logger.warning("digest challenge cannot be answered", metadata: metadata)
        }
    }
}
