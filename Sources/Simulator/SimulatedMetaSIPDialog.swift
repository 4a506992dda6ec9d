import Foundation

/// One SIP dialog of the SIP-mode Meta: a business-initiated call (the
/// gateway's INVITE, Meta as UAS) or a user-initiated one (Meta's INVITE, Meta as UAC).
struct SimulatedMetaSIPDialog: Sendable {
    /// Who sent the INVITE.
    enum Role: Sendable { case uas, uac }

    /// The wacid of the call.
    var wacid: String
    /// Meta's role.
    var role: Role
    /// The INVITE (received as UAS, sent as UAC).
    var invite: SimSIPMessage
    /// The connection the dialog runs over.
    var connection: SimulatedMetaSIPConnection
    /// Meta's tag.
    var localTag: String
    /// The peer's tag, once known.
    var remoteTag: String?
    /// Where in-dialog requests go (the peer's Contact).
    var remoteTarget: String
    /// The route set (RFC 3261 §12.1): Record-Route in order (UAS) or reversed (UAC).
    var routeSet: [String]
    /// Meta's CSeq for its next request in the dialog.
    var localCSeq: UInt32 = 1
    /// A final response was sent or received.
    var finalStatus: Int?
    /// When the call was answered.
    var answeredAt: Date?
    /// A 1xx with SDP connected the user's media already (UAC).
    var mediaStarted = false
    /// Meta's SDP (UAS: the user's answer).
    var localSDP: String?

    /// The SIP Call-ID.
    var callID: String { invite.value("Call-ID") ?? "" }

    /// Meta's side of From/To: the INVITE's To (UAS) or From (UAC), with Meta's tag.
    var localParty: String {
        switch role {
        case .uas: Self.withTag(invite.value("To") ?? "", localTag)
        case .uac: invite.value("From") ?? ""
        }
    }

    /// The peer's side, with its tag.
    var remoteParty: String {
        switch role {
        case .uas: invite.value("From") ?? ""
        case .uac: remoteTag.map { Self.withTag(invite.value("To") ?? "", $0) } ?? invite.value("To") ?? ""
        }
    }

    /// `value` with `;tag=` appended unless it has one.
    static func withTag(_ value: String, _ tag: String) -> String {
        SimSIPHeaderValue.parameter("tag", in: value) == nil ? "\(value);tag=\(tag)" : value
    }
}

/// Small readings of header values: URIs in name-addrs and their parameters.
enum SimSIPHeaderValue {
    /// The URI of a name-addr (`"x" <sip:…>;tag=…` → `sip:…`) or of a bare addr-spec.
    static func uri(of value: String) -> String {
        if let open = value.firstIndex(of: "<"), let close = value[open...].firstIndex(of: ">") {
            return String(value[value.index(after: open)..<close])
        }
        return String(value.split(separator: ";", maxSplits: 1).first ?? "").trimmingWhitespace
    }

    /// A header parameter after the URI (`;tag=…`), lowercased name.
    static func parameter(_ name: String, in value: String) -> String? {
        let tail = value.lastIndex(of: ">").map { String(value[value.index(after: $0)...]) }
            ?? String(value.drop { $0 != ";" })
        for item in tail.split(separator: ";") {
            let pair = item.split(separator: "=", maxSplits: 1).map { String($0).trimmingWhitespace }
            if pair.first?.lowercased() == name { return pair.count == 2 ? pair[1] : "" }
        }
        return nil
    }

    /// The user and host of a SIP URI (`sip:user@host:port;params` → (`user`, `host`)).
    static func userHost(_ uri: String) -> (user: String, host: String)? {
        guard let colon = uri.firstIndex(of: ":"), ["sip", "sips"].contains(uri[..<colon].lowercased()) else { return nil }
        let rest = uri[uri.index(after: colon)...].split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
        guard let at = rest.lastIndex(of: "@") else { return ("", hostOnly(rest)) }
        return (String(rest[..<at]), hostOnly(String(rest[rest.index(after: at)...])))
    }

    private static func hostOnly(_ hostPort: String) -> String {
        if hostPort.hasPrefix("["), let close = hostPort.firstIndex(of: "]") {
            return String(hostPort[...close]).lowercased()
        }
        return String(hostPort.split(separator: ":").first ?? "").lowercased()
    }

    /// A random token for tags, branches and nonces.
    static func token(_ length: Int = 16) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<length).map { _ in alphabet.randomElement() ?? "x" })
    }
}
