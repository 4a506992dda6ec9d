/// One Digest challenge a server sent us in `WWW-Authenticate` or
/// `Proxy-Authenticate` (RFC 3261 §22, RFC 7616 §3.3, RFC 8760), as far as a
/// client answering it needs.
///
/// What is answerable: algorithm MD5, MD5-sess, SHA-256 or SHA-256-sess
/// (absent means MD5); `qop` absent (RFC 2069 style, plain algorithms only)
/// or a list containing `auth` (we never answer `auth-int`: a body hash would
/// tie the credentials to an SDP sofia may still rewrite). `userhash=true`
/// only says the server would accept a hashed user name (RFC 7616 §3.3): it is
/// ignored and the name is sent in clear, as SIP servers expect. Every other
/// challenge, and any malformed text (an unterminated quote, a parameter given
/// twice, a control character, more than `maximumLength` bytes), is refused
/// with a reason: the request then fails cleanly instead of being retried.
public struct DigestChallenge: Sendable, Equatable {
    /// The longest challenge text (and parameter list) read; longer is refused.
    public static let maximumLength = 4096

    /// `realm`, unquoted.
    public var realm: String
    /// `nonce`, unquoted.
    public var nonce: String
    /// `opaque`, echoed back unchanged when present.
    public var opaque: String?
    /// The hash function.
    public var algorithm: DigestAlgorithm
    /// `-sess` variant: HA1 also covers the nonce and our cnonce.
    public var session: Bool
    /// Whether `qop=auth` is offered (false: the server sent no `qop`).
    public var qopAuth: Bool
    /// `stale=true`: the nonce expired, the password was right.
    public var stale: Bool

    /// The `algorithm` token as we send it back (`SHA-256-sess`, `MD5`, …).
    public var algorithmToken: String { algorithm.rawValue + (session ? "-sess" : "") }

    /// Preference among answerable challenges: SHA-256 over MD5 (RFC 8760
    /// §2.4); a tie keeps the server's order.
    public var strength: Int { algorithm == .sha256 ? 1 : 0 }

    /// Why a challenge cannot be answered.
    public enum Refusal: Error, Equatable, Sendable, CustomStringConvertible {
        /// Not the Digest scheme.
        case notDigest
        /// Text that is not a well-formed list of auth-params.
        case malformed(String)
        /// A required parameter is absent or empty.
        case missing(String)
        /// An algorithm we do not implement.
        case unsupportedAlgorithm(String)
        /// A `qop` list without `auth`, or a `-sess` algorithm without `qop`.
        case unsupportedQop(String)

        /// Words for the log.
        public var description: String {
            switch self {
            case .notDigest: "not a Digest challenge"
            case .malformed(let why): "malformed challenge: \(why)"
            case .missing(let name): "challenge without \(name)"
            case .unsupportedAlgorithm(let token): "unsupported algorithm \(token)"
            case .unsupportedQop(let qop): "unsupported qop \(qop)"
            }
        }
    }

    /// Reads a whole header value, e.g. `Digest realm="x", nonce="y", qop="auth"`.
    public static func parse(_ header: String) -> Result<DigestChallenge, Refusal> {
        guard header.utf8.count <= maximumLength else { return .failure(.malformed("too long")) }
        var scanner = DigestParamScanner(Substring(header))
        guard let scheme = scanner.token(), scheme.lowercased() == "digest" else { return .failure(.notDigest) }
        switch scanner.parameters() {
        case .success(let pairs): return make(pairs)
        case .failure(let refusal): return .failure(refusal)
        }
    }

    /// Reads sofia's split parameters (`name=value` or `name="value"`, one per entry).
    public static func parse(parameters entries: [String]) -> Result<DigestChallenge, Refusal> {
        guard entries.reduce(0, { $0 + $1.utf8.count }) <= maximumLength else { return .failure(.malformed("too long")) }
        var pairs: [(String, String)] = []
        for entry in entries {
            var scanner = DigestParamScanner(Substring(entry))
            switch scanner.parameters() {
            case .success(let found): pairs += found
            case .failure(let refusal): return .failure(refusal)
            }
        }
        return make(pairs)
    }

    /// The strongest answerable challenge among `values` (in the order the
    /// server sent them), or the refusal of the first when none is.
    public static func strongest(_ values: [Result<DigestChallenge, Refusal>]) -> Result<DigestChallenge, Refusal> {
        var best: DigestChallenge?
        var firstRefusal: Refusal?
        for value in values {
            switch value {
            case .success(let challenge):
                if best.map({ challenge.strength > $0.strength }) ?? true { best = challenge }
            case .failure(let refusal):
                if firstRefusal == nil { firstRefusal = refusal }
            }
        }
        if let best { return .success(best) }
        return .failure(firstRefusal ?? .missing("challenge"))
    }

    private static func make(_ pairs: [(String, String)]) -> Result<DigestChallenge, Refusal> {
        var params: [String: String] = [:]
        for (name, value) in pairs {
            guard params.updateValue(value, forKey: name) == nil else { return .failure(.malformed("\(name) given twice")) }
        }
        guard let realm = params["realm"] else { return .failure(.missing("realm")) }
        guard let nonce = params["nonce"], !nonce.isEmpty else { return .failure(.missing("nonce")) }
        let token = params["algorithm"] ?? "MD5"
        var base = token
        let session = token.lowercased().hasSuffix("-sess")
        if session { base = String(token.dropLast(5)) }
        guard let algorithm = DigestAlgorithm(token: base) else { return .failure(.unsupportedAlgorithm(String(token.prefix(40)))) }
        var qopAuth = false
        if let qop = params["qop"] {
            let options = qop.split(separator: ",").map { $0.trimmingSpaces().lowercased() }
            guard options.contains("auth") else { return .failure(.unsupportedQop(String(qop.prefix(40)))) }
            qopAuth = true
        } else if session {
            return .failure(.unsupportedQop("none with \(token)"))
        }
        return .success(DigestChallenge(realm: realm, nonce: nonce, opaque: params["opaque"], algorithm: algorithm,
                                        session: session, qopAuth: qopAuth,
                                        stale: params["stale"]?.lowercased() == "true"))
    }
}
