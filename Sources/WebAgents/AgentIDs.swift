// Opaque ids minted by wagate: sessions (`s-…`) and agent calls (`a-…`).

/// Random ids of 16 base32 characters after a prefix.
public enum AgentIDs {
    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)

    /// A new session id: `s-` and 16 base32 characters.
    public static func session() -> String { "s-" + random16() }

    /// A new agent call id: `a-` and 16 base32 characters (never wagate's call id, wacid or Call-ID).
    public static func call() -> String { "a-" + random16() }

    /// The contact URI of `session`: `wagate-agent:<session>`.
    public static func contact(ofSession session: String) -> String { AgentProtocol.contactScheme + session }

    /// The session a contact URI names, when it is a `wagate-agent:` URI.
    public static func session(ofContact uri: String) -> String? {
        guard uri.hasPrefix(AgentProtocol.contactScheme) else { return nil }
        return String(uri.dropFirst(AgentProtocol.contactScheme.count))
    }

    private static func random16() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in alphabet[Int.random(in: 0..<32, using: &generator)] }
        return String(decoding: bytes, as: UTF8.self)
    }
}
