import Crypto
import Foundation

// Meta's digest check of business-initiated INVITEs (RFC 3261 §22, RFC 7616,
// RFC 8760): realm `wa.meta.vc`, qop=auth, MD5 or SHA-256, the password the
// number's `sip_user_password`, and a `uri` that must equal the Request-URI
// byte for byte (integrators report 403 when the transport parameter is missing).

/// The digest algorithms Meta has been seen to ask for.
public enum SimSIPDigestAlgorithm: String, Sendable, CaseIterable {
    /// `MD5` (RFC 2617).
    case md5 = "MD5"
    /// `SHA-256` (RFC 7616, RFC 8760).
    case sha256 = "SHA-256"

    /// The lowercase hex hash of `text`.
    func hash(_ text: String) -> String {
        switch self {
        case .md5: Insecure.MD5.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
        case .sha256: SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
        }
    }
}

/// Digest credentials as an Authorization or Proxy-Authorization header carries them.
struct SimSIPDigestCredentials: Sendable, Equatable {
    /// The parameters by lowercased name, unquoted.
    var parameters: [String: String]

    /// Reads `Digest name=value, name="value", …`; nil when it is not a digest header.
    init?(header: String) {
        let trimmed = header.trimmingWhitespace
        guard trimmed.count > 7, trimmed.prefix(7).lowercased() == "digest " else { return nil }
        var parameters: [String: String] = [:]
        for item in SimSIPMessage.splitList(String(trimmed.dropFirst(7))) {
            guard let equals = item.firstIndex(of: "=") else { continue }
            let name = String(item[..<equals]).trimmingWhitespace.lowercased()
            var value = String(item[item.index(after: equals)...]).trimmingWhitespace
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            if parameters[name] == nil { parameters[name] = value }
        }
        self.parameters = parameters
    }

    /// A parameter by name.
    subscript(_ name: String) -> String? { parameters[name] }
}

/// Checks digest responses (RFC 7616 §3.4.1) for one realm.
struct SimSIPDigest: Sendable {
    /// The realm Meta challenges with.
    static let metaRealm = "wa.meta.vc"

    /// The realm.
    var realm = metaRealm

    /// The `Proxy-Authenticate` value for a fresh `nonce`, laid out as Meta's
    /// captured 407s are (`realm`, `nonce`, `opaque`, `algorithm`, `qop`, no spaces).
    func challenge(nonce: String, opaque: String, algorithm: SimSIPDigestAlgorithm, stale: Bool = false) -> String {
        var value = "Digest realm=\"\(realm)\",nonce=\"\(nonce)\",opaque=\"\(opaque)\",algorithm=\(algorithm.rawValue),qop=\"auth\""
        if stale { value += ",stale=true" }
        return value
    }

    /// A random token of 16 lowercase hex digits, as Meta's nonces and opaques are.
    static func hexToken() -> String {
        (0..<8).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }

    /// The expected `response` for the credentials, the password and the method
    /// (qop=auth when the credentials carry it, RFC 2069 style otherwise).
    func expectedResponse(_ credentials: SimSIPDigestCredentials, password: String, method: String,
                          algorithm: SimSIPDigestAlgorithm) -> String {
        let user = credentials["username"] ?? ""
        let ha1 = algorithm.hash("\(user):\(realm):\(password)")
        let ha2 = algorithm.hash("\(method):\(credentials["uri"] ?? "")")
        let nonce = credentials["nonce"] ?? ""
        guard let qop = credentials["qop"] else { return algorithm.hash("\(ha1):\(nonce):\(ha2)") }
        let nc = credentials["nc"] ?? ""
        let cnonce = credentials["cnonce"] ?? ""
        return algorithm.hash("\(ha1):\(nonce):\(nc):\(cnonce):\(qop):\(ha2)")
    }

    /// Whether the credentials' response matches (compared in constant time).
    func verify(_ credentials: SimSIPDigestCredentials, password: String, method: String,
                algorithm: SimSIPDigestAlgorithm) -> Bool {
        let expected = Array(expectedResponse(credentials, password: password, method: method, algorithm: algorithm).utf8)
        let given = Array((credentials["response"] ?? "").lowercased().utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
