/// Serialisation in canonical field order with CRLF line ends (RFC 8866 §5, §9).
extension SessionDescription {
    /// The description as text, every line ended by CRLF.
    public func serialized() -> String {
        var lines: [String] = []
        lines.reserveCapacity(24 + media.count * 16)
        lines.append("v=\(version)")
        lines.append("o=" + origin.fieldValue)
        lines.append("s=" + sessionName)
        if let information { lines.append("i=" + information) }
        if let uri { lines.append("u=" + uri) }
        lines.append(contentsOf: emails.map { "e=" + $0 })
        lines.append(contentsOf: phones.map { "p=" + $0 })
        if let connection { lines.append("c=" + connection.fieldValue) }
        lines.append(contentsOf: bandwidths.map { "b=" + $0.fieldValue })
        for timing in timings {
            lines.append("t=" + timing.fieldValue)
            lines.append(contentsOf: timing.repeats.map { "r=" + $0 })
        }
        if let timeZones { lines.append("z=" + timeZones) }
        if let encryptionKey { lines.append("k=" + encryptionKey) }
        lines.append(contentsOf: attributes.map { "a=" + $0.description })
        for section in media {
            section.appendLines(to: &lines)
        }
        var text = ""
        for line in lines {
            text += line
            text += "\r\n"
        }
        return text
    }

    /// The description as UTF-8 bytes, ready for a SIP body or a JSON string.
    public func serializedBytes() -> [UInt8] {
        Array(serialized().utf8)
    }
}

/// Media section serialisation.
extension MediaDescription {
    /// Appends `m=`, `i=`, `c=`, `b=`, `k=` and `a=` lines in canonical order.
    func appendLines(to lines: inout [String]) {
        lines.append("m=" + fieldValue)
        if let information { lines.append("i=" + information) }
        lines.append(contentsOf: connections.map { "c=" + $0.fieldValue })
        lines.append(contentsOf: bandwidths.map { "b=" + $0.fieldValue })
        if let encryptionKey { lines.append("k=" + encryptionKey) }
        lines.append(contentsOf: attributes.map { "a=" + $0.description })
    }
}

/// Printing a description prints its SDP.
extension SessionDescription: CustomStringConvertible {
    /// The serialised description (CRLF line ends).
    public var description: String {
        serialized()
    }
}
