import CSofiaSIP
import CSofiaShims

extension SofiaMessageReader {
    /// Parses `datagram` with sofia's own SIP parser (no nua, no socket) and
    /// reads it as the stack would: the request, or nil when sofia does not see
    /// a SIP request in it. The source is empty. Used by the tests that feed
    /// extreme header values through the real C parser.
    static func request(parsing datagram: [UInt8]) -> SIPRequest? {
        datagram.withUnsafeBufferPointer { bytes -> SIPRequest? in
            guard let base = bytes.baseAddress,
                  let msg = base.withMemoryRebound(to: CChar.self, capacity: bytes.count, {
                      sofia_message_parse($0, bytes.count)
                  })
            else { return nil }
            defer { sofia_message_destroy(msg) }
            guard let sip = sofia_message_sip(msg), sip.pointee.sip_request != nil else { return nil }
            return request(sip, nua: nil)
        }
    }
}

extension SofiaMessageReader {
    /// The status code and reason phrase of `datagram` when sofia's parser sees
    /// a SIP response in it; nil otherwise. Used by the tests that read
    /// wagate's responses off the wire.
    static func statusLine(parsing datagram: [UInt8]) -> (status: Int, phrase: String)? {
        datagram.withUnsafeBufferPointer { bytes -> (status: Int, phrase: String)? in
            guard let base = bytes.baseAddress,
                  let msg = base.withMemoryRebound(to: CChar.self, capacity: bytes.count, {
                      sofia_message_parse($0, bytes.count)
                  })
            else { return nil }
            defer { sofia_message_destroy(msg) }
            guard let status = sofia_message_sip(msg)?.pointee.sip_status?.pointee else { return nil }
            return (Int(status.st_status), status.st_phrase.map { String(cString: $0) } ?? "")
        }
    }
}
