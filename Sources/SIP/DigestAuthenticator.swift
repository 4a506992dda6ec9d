import Crypto
import Foundation

/// Issues Digest challenges and verifies responses (RFC 3261 §22, RFC 7616,
/// RFC 8760), with stateless nonces: `hex(issued-at) . hex(random) . hex(MAC)`,
/// the MAC being HMAC-SHA256 under a per-process key. A nonce older than the
/// lifetime yields `stale=true` when the password was right, so the phone
/// retries silently (RFC 7616 §3.3). Pure apart from the random source: the
/// clock is a parameter. Not thread-safe by itself; the SIP thread owns it.
public struct DigestAuthenticator: Sendable {
    /// The outcome of checking one set of credentials.
    public enum Verdict: Sendable, Equatable {
        /// The response is right and the nonce fresh.
        case accepted
        /// The response is right but the nonce expired: challenge again with `stale=true`.
        case stale
        /// Wrong password, wrong realm, forged nonce, or unknown user.
        case rejected
    }

    /// The realm in every challenge.
    public let realm: String
    /// Seconds a nonce stays valid.
    public let nonceLifetime: Double
    /// Algorithms offered in challenges, in order.
    public let offered: [DigestAlgorithm]
    private let keyBytes: [UInt8]

    /// Creates an authenticator with a fresh random nonce key.
    public init(realm: String, nonceLifetime: Double, offered: [DigestAlgorithm] = [.md5]) {
        self.realm = realm
        self.nonceLifetime = nonceLifetime
        self.offered = offered.isEmpty ? [.md5] : offered
        self.keyBytes = (0..<32).map { _ in UInt8.random(in: 0...255) }
    }

    /// A new nonce for time `now` (seconds since 1970).
    public func makeNonce(now: Double) -> String {
        let issued = UInt64(max(0, now))
        let random = UInt64.random(in: .min ... .max)
        let body = String(issued, radix: 16) + "." + String(random, radix: 16)
        return body + "." + mac(body)
    }

    /// The challenge header values, one per offered algorithm, in the configured
    /// order (RFC 8760 §2.4: the preferred first). One nonce serves them all.
    public func challenges(now: Double, stale: Bool) -> [String] {
        let nonce = makeNonce(now: now)
        return offered.map { algorithm in
            "Digest realm=\"\(realm)\", nonce=\"\(nonce)\", algorithm=\(algorithm.rawValue), qop=\"auth\""
                + (stale ? ", stale=true" : "")
        }
    }

    /// Checks `credentials` for a request with `method`, against `password`.
    public func verify(_ credentials: DigestCredentials, method: String, password: String, now: Double) -> Verdict {
        guard credentials.realm == realm, let issued = nonceIssueTime(credentials.nonce) else { return .rejected }
        let expected = Self.response(credentials: credentials, method: method, password: password)
        guard Self.constantTimeEqual(expected, credentials.response) else { return .rejected }
        return now - issued > nonceLifetime || issued > now + 5 ? .stale : .accepted
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

    private func nonceIssueTime(_ nonce: String) -> Double? {
        let parts = nonce.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let issued = UInt64(parts[0], radix: 16) else { return nil }
        let body = parts[0] + "." + parts[1]
        guard Self.constantTimeEqual(mac(String(body)), String(parts[2])) else { return nil }
        return Double(issued)
    }

    private func mac(_ body: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: keyBytes))
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
