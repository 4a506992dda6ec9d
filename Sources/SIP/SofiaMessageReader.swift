import CSofiaSIP
import CSofiaShims

/// Copies what the gateway needs out of a sofia `sip_t` into Swift values.
/// Call only inside the nua callback, on the SIP thread: `sip_t` is valid there only.
enum SofiaMessageReader {
    /// The request in `sip`, with the packet's source taken from `nua`'s current request.
    static func request(_ sip: UnsafePointer<sip_t>, nua: OpaquePointer?) -> SIPRequest {
        request(sip, source: source(nua, via: sip.pointee.sip_via?.pointee.v_protocol))
    }

    /// The request in `sip`, received from `packetSource` (the fuzz harness parses
    /// datagrams without a network, so it passes the source in).
    static func request(_ sip: UnsafePointer<sip_t>, source packetSource: SIPSource) -> SIPRequest {
        let s = sip.pointee
        var requestURI = "", requestUser = "", method = ""
        if let rq = s.sip_request?.pointee {
            method = string(rq.rq_method_name)
            requestURI = encode(rq.rq_url)
            requestUser = unescape(string(rq.rq_url.url_user))
        }
        var contacts: [SIPContact] = []
        var contact = s.sip_contact
        while let m = contact?.pointee {
            let isWildcard = m.m_url.url_type == url_any.rawValue
            let expires = m.m_expires.flatMap { deltaSeconds(String(cString: $0)) }
            contacts.append(SIPContact(uri: isWildcard ? "*" : encode(m.m_url), expires: expires, isWildcard: isWildcard))
            contact = m.m_next
        }
        let authorization = authParams(method == "REGISTER" ? s.sip_authorization : s.sip_proxy_authorization)
            ?? authParams(s.sip_authorization)
        let body = Self.body(sip)
        var request = SIPRequest(
            method: method, requestURI: requestURI, requestUser: requestUser,
            from: header(s.sip_from), fromUser: unescape(string(s.sip_from?.pointee.a_url.url_user)),
            fromDisplay: s.sip_from?.pointee.a_display.map { unquote(String(cString: $0)) },
            to: header(s.sip_to), toUser: unescape(string(s.sip_to?.pointee.a_url.url_user)),
            callID: string(s.sip_call_id?.pointee.i_id), cseq: s.sip_cseq?.pointee.cs_seq ?? 0,
            contacts: contacts, expires: s.sip_expires.map { deltaSeconds($0.pointee.ex_delta) },
            userAgent: s.sip_user_agent?.pointee.g_string.map { String(cString: $0) },
            contentType: s.sip_content_type?.pointee.c_type.map { String(cString: $0) },
            body: body, source: packetSource, authorization: authorization
        )
        request.preferredIdentity = unknownHeader(s.sip_unknown, named: "P-Preferred-Identity")
        request.assertedIdentity = unknownHeader(s.sip_unknown, named: "P-Asserted-Identity")
        request.metaWACID = unknownHeader(s.sip_unknown, named: "x-wa-meta-wacid")
        request.offers100rel = sip_has_feature(s.sip_supported, "100rel") != 0 || sip_has_feature(s.sip_require, "100rel") != 0
        return request
    }

    /// The value of the first header called `name` (case-insensitive) among those
    /// sofia's default parser does not know, at most 512 bytes; nil when absent.
    /// RFC 3325 identity headers arrive here: the stack does not extend its parser.
    static func unknownHeader(_ list: UnsafeMutablePointer<sip_unknown_t>?, named name: String) -> String? {
        var header = list
        var visited = 0
        while let unknown = header?.pointee, visited < 64 {
            visited += 1
            if let headerName = unknown.un_name, String(cString: headerName).caseInsensitiveCompare(name) == .orderedSame {
                guard let value = unknown.un_value else { return nil }
                let text = String(cString: value)
                return text.utf8.count <= 512 ? text : nil
            }
            header = unknown.un_next
        }
        return nil
    }

    /// The realm of the first challenge in a 401/407 response, if any.
    /// The message body (empty when there is none), copied out of sofia's buffer.
    static func body(_ sip: UnsafePointer<sip_t>) -> [UInt8] {
        guard let payload = sip.pointee.sip_payload?.pointee, let data = payload.pl_data, payload.pl_len > 0 else {
            return []
        }
        return Array(UnsafeRawBufferPointer(start: data, count: Int(clamping: payload.pl_len)))
    }

    /// The packet's source. The transport comes from the socket, corrected by the
    /// top Via's protocol for TLS (the address info of a TLS connection reads as TCP).
    static func source(_ nua: OpaquePointer?, via: UnsafePointer<CChar>? = nil) -> SIPSource {
        var host = [CChar](repeating: 0, count: 64)
        var port: UInt32 = 0
        var transport: UnsafePointer<CChar>?
        guard sofia_current_source(nua, &host, host.count, &port, &transport) == 0 else {
            return SIPSource(host: "", port: 0, transport: "")
        }
        var name = transport.map { String(cString: $0) } ?? ""
        if name == "tcp", let via, String(cString: via).uppercased().hasSuffix("/TLS") { name = "tls" }
        return SIPSource(host: cString(host), port: Int(port), transport: name)
    }

    private static func authParams<T>(_ header: UnsafeMutablePointer<T>?) -> [String: String]? {
        guard let header else { return nil }
        // sip_authorization_t, sip_proxy_authorization_t, sip_www_authenticate_t and
        // sip_proxy_authenticate_t all share msg_auth_t's layout.
        let auth = UnsafeRawPointer(header).assumingMemoryBound(to: msg_auth_t.self).pointee
        guard let scheme = auth.au_scheme, String(cString: scheme).caseInsensitiveCompare("Digest") == .orderedSame,
              var cursor = auth.au_params else { return nil }
        var entries: [String] = []
        while let entry = cursor.pointee {
            entries.append(String(cString: entry))
            cursor += 1
        }
        return DigestCredentials.parameters(from: entries)
    }

    static func header<T>(_ header: UnsafeMutablePointer<T>?) -> String {
        guard let header else { return "" }
        var buffer = [CChar](repeating: 0, count: 1024)
        let n = UnsafeRawPointer(header).withMemoryRebound(to: sip_header_t.self, capacity: 1) {
            sofia_header_encode($0, &buffer, buffer.count)
        }
        return n < 0 ? "" : cString(buffer)
    }

    private static func encode(_ url: url_t) -> String {
        var copy = url
        var buffer = [CChar](repeating: 0, count: 1024)
        return sofia_url_encode(&copy, &buffer, buffer.count) < 0 ? "" : cString(buffer)
    }

    /// The largest delta-seconds value: RFC 3261 §20.19/§20.33 treat larger
    /// values as 2^32-1. Sofia keeps `Expires` in an `unsigned long`, so a
    /// datagram may carry anything up to 2^64-1; it is clamped, never trapped on.
    static let maximumDeltaSeconds = Int(UInt32.max)

    /// `value` (sofia's `unsigned long`) as seconds, clamped to 2^32-1.
    static func deltaSeconds(_ value: UInt) -> Int {
        Int(clamping: min(value, UInt(maximumDeltaSeconds)))
    }

    /// A Contact `expires` parameter as seconds: digits only (else nil, and the
    /// registrar falls back to the Expires header or its default), clamped to 2^32-1.
    static func deltaSeconds(_ text: String) -> Int? {
        let digits = text.trimmingSpaces()
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return Int(digits).map { min($0, maximumDeltaSeconds) } ?? maximumDeltaSeconds
    }

    /// The NUL-terminated text in a C buffer.
    static func cString(_ buffer: [CChar]) -> String {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    static func unquote(_ text: String) -> String {
        let trimmed = text.trimmingSpaces()
        return trimmed.count >= 2 && trimmed.hasPrefix("\"") && trimmed.hasSuffix("\"")
            ? String(trimmed.dropFirst().dropLast()) : trimmed
    }

    /// Undoes %XX escapes in a URI user part (a dialled `+` may arrive as `%2B`).
    static func unescape(_ text: String) -> String {
        guard text.contains("%") else { return text }
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count,
               let value = UInt8(String(decoding: bytes[i + 1...i + 2], as: UTF8.self), radix: 16) {
                out.append(value)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
