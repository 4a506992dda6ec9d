import CSofiaShims
import Foundation

/// Digest for every request nua sends with credentials, in MD5 or SHA-256
/// (with their `-sess` variants): sofia's auth-client plugin for `Digest`
/// (`sofia_digest_shims.c`) with the challenge read by `DigestChallenge` and
/// the answer written by `DigestAnswer`.
///
/// Why a plugin: nua then retries the request itself, on the same handle,
/// exactly as RFC 3261 §22.2 wants (same Call-ID and From tag, CSeq raised),
/// and the `uri` we hash is the Request-URI of the message as nua encodes it
/// on the wire. Credentials reach the plugin through `NUTAG_AUTH`
/// (`credentialsTag`), whose `scheme:"realm":user:pass` text sofia splits at
/// colons: the user name and password are percent-encoded in it and decoded
/// here, so a password with `:` survives.
enum SofiaDigestPlugin {
    /// Puts the plugin in place (once per process; sofia's plugin table is
    /// global). False when sofia refused it: outgoing digest is then sofia's
    /// own, MD5 only.
    @discardableResult
    static func install() -> Bool {
        installed == 0
    }

    private static let installed: Int32 = sofia_digest_install(rank, answer)

    /// The `NUTAG_AUTH` value carrying `username` and `password` for any realm.
    static func credentialsTag(username: String, password: String) -> String {
        "Digest:\"*\":\(encode(username)):\(encode(password))"
    }

    /// `%` and `:` (and control bytes) as `%XX`.
    static func encode(_ text: String) -> String {
        var bytes: [UInt8] = []
        for byte in text.utf8 {
            if byte == UInt8(ascii: "%") || byte == UInt8(ascii: ":") || byte < 0x20 || byte == 0x7f {
                bytes += Array(String(format: "%%%02X", byte).utf8)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Undoes `encode`.
    static func decode(_ text: String) -> String {
        SofiaMessageReader.unescape(text)
    }

    /// The parameters of a NULL-terminated C string array.
    static func strings(_ params: UnsafePointer<UnsafePointer<CChar>?>?) -> [String] {
        guard var cursor = params else { return [] }
        var out: [String] = []
        while let entry = cursor.pointee, out.count < 64 {
            out.append(String(cString: entry))
            cursor += 1
        }
        return out
    }

    private static let rank: sofia_digest_rank_f = { params in
        switch DigestChallenge.parse(parameters: strings(params)) {
        case .success(let challenge): Int32(challenge.strength)
        case .failure: -1
        }
    }

    // swiftlint:disable:next closure_parameter_position
    private static let answer: sofia_digest_answer_f = { params, method, uri, user, pass, cnonce, nc, out, size in
        guard let method, let uri, let user, let pass, let cnonce, let out,
              case .success(let challenge) = DigestChallenge.parse(parameters: strings(params)) else { return -1 }
        let answer = DigestAnswer(challenge: challenge, method: String(cString: method), uri: String(cString: uri),
                                  username: decode(String(cString: user)), clientNonce: String(cString: cnonce),
                                  nonceCount: nc)
        guard let header = answer.header(password: decode(String(cString: pass))) else { return -1 }
        let bytes = Array(header.utf8)
        guard bytes.count < size else { return -1 }
        for (i, byte) in bytes.enumerated() { out[i] = CChar(bitPattern: byte) }
        out[bytes.count] = 0
        return bytes.count
    }
}
