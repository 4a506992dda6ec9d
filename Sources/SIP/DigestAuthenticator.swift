import Crypto
import Foundation

/// Issues Digest challenges and verifies responses (RFC 3261 §22, RFC 7616,
/// RFC 8760). A nonce is `hex(issued-at) . hex(sequence) . hex(MAC)`, the MAC
/// being HMAC-SHA256 under a per-process key over the issue time, the
/// sequence number and the address the challenge was sent to: a nonce is only
/// good from the address it was issued to (as Kamailio's `auth_checks_*` with
/// the source IP), and a phone that changes address is challenged again.
///
/// Rules for a response to be accepted:
/// - `qop=auth` with `nc` and `cnonce` (RFC 2069-style responses are refused);
/// - an algorithm we offer (MD5 is refused when only SHA-256 is configured);
/// - the digest `uri` names the Request-URI (`DigestURI`);
/// - the nonce is ours, for this source, younger than the lifetime, and its
///   `nc` is above every `nc` accepted with it before (`NonceCounter`).
/// A right response on an expired, forgotten or replayed nonce yields
/// `stale=true`, so the phone retries silently (RFC 7616 §3.3). Clock-injected;
/// owned by the SIP thread.
public struct DigestAuthenticator: Sendable {
    /// The outcome of checking one set of credentials.
    public enum Verdict: Sendable, Equatable {
        /// The response is right and the nonce fresh.
        case accepted
        /// The response is right but the nonce expired or was forgotten: challenge with `stale=true`.
        case stale
        /// The response is right but its `nc` was used before: challenge again, not a password failure.
        case replayed
        /// A wrong response on a nonce we issued to this source: a password failure.
        case rejected
        /// The digest `uri` is not the Request-URI.
        case uriMismatch
        /// Credentials we cannot check (not our nonce, another source's nonce, no
        /// `qop=auth`, an algorithm not offered, another realm): challenge again.
        case unusable(String)
    }

    /// The realm in every challenge.
    public let realm: String
    /// Seconds a nonce stays valid.
    public let nonceLifetime: Double
    /// Algorithms offered in challenges, in order; the only ones accepted.
    public let offered: [DigestAlgorithm]
    private let keyBytes: [UInt8]
    private var sequence: UInt64 = 0
    private var counter: NonceCounter

    /// Creates an authenticator with a fresh random nonce key, remembering the
    /// `nc` of at most `nonceTableSize` nonces.
    public init(realm: String, nonceLifetime: Double, offered: [DigestAlgorithm] = [.md5], nonceTableSize: Int = 65536) {
        self.realm = realm
        self.nonceLifetime = nonceLifetime
        self.offered = offered.isEmpty ? [.md5] : offered
        self.keyBytes = (0..<32).map { _ in UInt8.random(in: 0...255) }
        self.counter = NonceCounter(capacity: nonceTableSize)
    }

    /// The number of nonces whose `nc` is remembered.
    public var trackedNonces: Int { counter.count }

    /// A new nonce for time `now` (seconds since 1970), good only from `source` (an IP address).
    public mutating func makeNonce(now: Double, source: String) -> String {
        sequence &+= 1
        let issued = now.isFinite ? UInt64(min(max(0, now), 1e15)) : 0
        let body = String(issued, radix: 16) + "." + String(sequence, radix: 16)
        return body + "." + mac(body, source: source)
    }

    /// The challenge header values, one per offered algorithm, in the configured
    /// order (RFC 8760 §2.4: the preferred first). One nonce serves them all.
    public mutating func challenges(now: Double, source: String, stale: Bool) -> [String] {
        let nonce = makeNonce(now: now, source: source)
        return offered.map { algorithm in
            "Digest realm=\"\(realm)\", nonce=\"\(nonce)\", algorithm=\(algorithm.rawValue), qop=\"auth\""
                + (stale ? ", stale=true" : "")
        }
    }

    /// Checks `credentials` sent from `source` on a request with `method` and
    /// `requestURI`, against `password`. Records the `nc` when accepted.
    public mutating func verify(_ credentials: DigestCredentials, method: String, requestURI: String,
                                source: String, password: String, now: Double) -> Verdict {
        guard credentials.realm == realm else { return .unusable("another realm") }
        guard offered.contains(credentials.algorithm) else { return .unusable("algorithm not offered") }
        guard credentials.qop?.lowercased() == "auth", let nc = Self.nonceCount(credentials.nonceCount),
              let cnonce = credentials.clientNonce, !cnonce.isEmpty else { return .unusable("qop=auth required") }
        guard let (issued, sequence) = parseNonce(credentials.nonce, source: source) else {
            return .unusable("not a nonce issued to this address")
        }
        guard DigestURI.matches(credentials.uri, requestURI: requestURI) else { return .uriMismatch }
        let expected = Self.response(credentials: credentials, method: method, password: password)
        guard Self.constantTimeEqual(expected, credentials.response) else { return .rejected }
        if now - issued > nonceLifetime || issued > now + 5 { return .stale }
        switch counter.admit(sequence: sequence, nc: nc) {
        case .fresh: return .accepted
        case .replayed: return .replayed
        case .forgotten: return .stale
        }
    }

    /// The digest response a client with `password` would compute (RFC 7616 §3.4.1).
    public static func response(credentials c: DigestCredentials, method: String, password: String) -> String {
        let ha1 = hash("\(c.username):\(c.realm):\(password)", c.algorithm)
        let ha2 = hash("\(method):\(c.uri)", c.algorithm)
        if let qop = c.qop {
            return hash("\(ha1):\(c.nonce):\(c.nonceCount ?? ""):\(c.clientNonce ?? ""):\(qop):\(ha2)", c.algorithm)
        }
        return hash("\(ha1):\(c.nonce):\(ha2)", c.algorithm)
    }

    static func hash(_ text: String, _ algorithm: DigestAlgorithm) -> String {
        let data = Data(text.utf8)
        switch algorithm {
        case .md5: return Insecure.MD5.hash(data: data).hexString
        case .sha256: return SHA256.hash(data: data).hexString
        }
    }

    /// `nc`: 1 to 8 hex digits, not zero (RFC 7616 §3.4).
    static func nonceCount(_ text: String?) -> UInt32? {
        guard let text, (1...8).contains(text.utf8.count), let value = UInt32(text, radix: 16), value > 0 else { return nil }
        return value
    }

    private func parseNonce(_ nonce: String, source: String) -> (issued: Double, sequence: UInt64)? {
        let parts = nonce.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].utf8.count <= 16, parts[1].utf8.count <= 16,
              let issued = UInt64(parts[0], radix: 16), let sequence = UInt64(parts[1], radix: 16) else { return nil }
        let body = parts[0] + "." + parts[1]
        guard Self.constantTimeEqual(mac(String(body), source: source), String(parts[2])) else { return nil }
        return (Double(issued), sequence)
    }

    private func mac(_ body: String, source: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data((body + "|" + source).utf8), using: SymmetricKey(data: keyBytes))
        return Data(code).prefix(12).hexString
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}

extension Sequence where Element == UInt8 {
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
