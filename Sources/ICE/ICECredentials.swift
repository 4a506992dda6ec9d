/// An agent's ICE username fragment and password (RFC 8445 §5.3, RFC 8839 §5.4).
///
/// ```
/// ice-ufrag-att = "ice-ufrag:" ufrag   ; ufrag = 4*256ice-char
/// ice-pwd-att   = "ice-pwd:" password  ; password = 22*256ice-char
/// ice-char      = ALPHA / DIGIT / "+" / "/"
/// ```
public struct ICECredentials: Hashable, Sendable {
    /// The username fragment.
    public var ufrag: String
    /// The password; its bytes are the MESSAGE-INTEGRITY key for checks sent to this agent.
    public var pwd: String

    /// The 64 ice-chars.
    static let iceChars: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Creates credentials, checking the grammar.
    /// - Throws: `ICEError.Kind.invalidCredentials`.
    public init(ufrag: String, pwd: String) throws(ICEError) {
        guard (4...256).contains(ufrag.utf8.count), ufrag.utf8.allSatisfy(Self.iceChars.contains) else {
            throw ICEError(.invalidCredentials, "ufrag \"\(ufrag)\" must be 4-256 ice-chars")
        }
        guard (22...256).contains(pwd.utf8.count), pwd.utf8.allSatisfy(Self.iceChars.contains) else {
            throw ICEError(.invalidCredentials, "pwd must be 22-256 ice-chars, got \(pwd.utf8.count) characters")
        }
        self.ufrag = ufrag
        self.pwd = pwd
    }

    /// Fresh credentials: an 8-character ufrag (48 bits) and a 24-character pwd
    /// (144 bits, above RFC 8445 §5.3's 128), drawn from `generator`.
    public static func random(using generator: inout some RandomNumberGenerator) -> ICECredentials {
        func draw(_ count: Int) -> String {
            String(decoding: (0..<count).map { _ in iceChars[Int(generator.next() as UInt64 % 64)] }, as: UTF8.self)
        }
        let ufrag = draw(8)
        let pwd = draw(24)
        return ICECredentials(unchecked: ufrag, pwd)
    }

    private init(unchecked ufrag: String, _ pwd: String) {
        self.ufrag = ufrag
        self.pwd = pwd
    }
}
