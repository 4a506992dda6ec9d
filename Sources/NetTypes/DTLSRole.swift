/// Which side of the DTLS handshake wagate plays on the WebRTC leg (RFC 5763
/// §5: the SDP `a=setup:active` side is the client, `passive` the server).
/// One type for the configured preference (`dtls_role` in `[whatsapp]`) and
/// for the role the handshake runs with; the raw values are the config words.
public enum DTLSRole: String, Sendable, Hashable, CaseIterable {
    /// Sends the ClientHello (`a=setup:active`).
    case client
    /// Waits for the ClientHello (`a=setup:passive`).
    case server
}
