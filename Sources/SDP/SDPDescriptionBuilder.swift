/// Accumulates parsed lines into a `SessionDescription` (RFC 8866 §5 grammar).
///
/// Lines before the first `m=` are session level; each `m=` opens a media section
/// that may hold only `i=`, `c=`, `b=`, `k=` and `a=` (RFC 8866 §5, "Media description").
struct SDPDescriptionBuilder {
    private var origin: SessionDescription.Origin?
    private var sessionName: String?
    private var description = SessionDescription(
        origin: SessionDescription.Origin(sessionID: 0, sessionVersion: 0, address: "0.0.0.0"),
        timings: []
    )
    private var currentMedia: MediaDescription?

    /// Adds one line (never the leading `v=`).
    mutating func add(_ line: SDPParser.Line) throws(SDPError) {
        if line.type == "m" {
            flushMedia()
            currentMedia = try Self.parseMedia(line)
        } else if currentMedia != nil {
            try addMediaLine(line)
        } else {
            try addSessionLine(line)
        }
    }

    /// Returns the description, or throws when `o=` or `s=` was missing.
    mutating func finish(lastLine: Int) throws(SDPError) -> SessionDescription {
        flushMedia()
        guard let origin else {
            throw SDPError(.missingField, line: lastLine, "no o= line")
        }
        guard let sessionName else {
            throw SDPError(.missingField, line: lastLine, "no s= line")
        }
        description.origin = origin
        description.sessionName = sessionName
        return description
    }

    private mutating func flushMedia() {
        if let media = currentMedia {
            description.media.append(media)
            currentMedia = nil
        }
    }

    private mutating func addSessionLine(_ line: SDPParser.Line) throws(SDPError) {
        switch line.type {
        case "v":
            throw SDPError(.unexpectedLine, line: line.number, "a second v= line")
        case "o":
            guard origin == nil else { throw SDPError(.unexpectedLine, line: line.number, "a second o= line") }
            origin = try Self.parseOrigin(line)
        case "s":
            guard sessionName == nil else { throw SDPError(.unexpectedLine, line: line.number, "a second s= line") }
            sessionName = line.value
        case "i": description.information = line.value
        case "u": description.uri = line.value
        case "e": description.emails.append(line.value)
        case "p": description.phones.append(line.value)
        case "c":
            guard description.connection == nil else {
                throw SDPError(.unexpectedLine, line: line.number, "a second session-level c= line")
            }
            description.connection = try Self.parseConnection(line)
        case "b": description.bandwidths.append(try Self.parseBandwidth(line))
        case "t": description.timings.append(try Self.parseTiming(line))
        case "r":
            guard !description.timings.isEmpty else {
                throw SDPError(.unexpectedLine, line: line.number, "r= without a preceding t=")
            }
            description.timings[description.timings.count - 1].repeats.append(line.value)
        case "z": description.timeZones = line.value
        case "k": description.encryptionKey = line.value
        case "a": description.attributes.append(try Self.parseAttribute(line))
        default:
            throw SDPError(.unknownLineType, line: line.number, "unknown line type \(line.type)=")
        }
    }

    private mutating func addMediaLine(_ line: SDPParser.Line) throws(SDPError) {
        switch line.type {
        case "i": currentMedia?.information = line.value
        case "c": currentMedia?.connections.append(try Self.parseConnection(line))
        case "b": currentMedia?.bandwidths.append(try Self.parseBandwidth(line))
        case "k": currentMedia?.encryptionKey = line.value
        case "a": currentMedia?.attributes.append(try Self.parseAttribute(line))
        case "v", "o", "s", "u", "e", "p", "t", "r", "z":
            throw SDPError(.unexpectedLine, line: line.number, "\(line.type)= is not allowed inside a media section")
        default:
            throw SDPError(.unknownLineType, line: line.number, "unknown line type \(line.type)=")
        }
    }

    /// Space-separated tokens; runs of spaces count as one separator.
    static func tokens(_ value: String) -> [Substring] {
        value.split(separator: " ", omittingEmptySubsequences: true)
    }

    /// RFC 8866 §5.2: six tokens.
    static func parseOrigin(_ line: SDPParser.Line) throws(SDPError) -> SessionDescription.Origin {
        let parts = tokens(line.value)
        guard parts.count == 6 else {
            throw SDPError(.invalidField, line: line.number, "o= needs 6 fields, found \(parts.count)")
        }
        return SessionDescription.Origin(
            username: String(parts[0]), sessionID: String(parts[1]), sessionVersion: String(parts[2]),
            networkType: String(parts[3]), addressType: String(parts[4]), address: String(parts[5])
        )
    }

    /// RFC 8866 §5.7: `<nettype> <addrtype> <connection-address>`.
    static func parseConnection(_ line: SDPParser.Line) throws(SDPError) -> SessionDescription.Connection {
        let parts = tokens(line.value)
        guard parts.count == 3 else {
            throw SDPError(.invalidField, line: line.number, "c= needs 3 fields, found \(parts.count)")
        }
        return SessionDescription.Connection(
            networkType: String(parts[0]), addressType: String(parts[1]), address: String(parts[2])
        )
    }

    /// RFC 8866 §5.8: `<bwtype>:<bandwidth>`.
    static func parseBandwidth(_ line: SDPParser.Line) throws(SDPError) -> SessionDescription.Bandwidth {
        let pieces = line.value.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard pieces.count == 2, !pieces[0].isEmpty, let value = UInt64(pieces[1]) else {
            throw SDPError(.invalidField, line: line.number, "b= must be <type>:<number>")
        }
        return SessionDescription.Bandwidth(type: String(pieces[0]), value: value)
    }

    /// RFC 8866 §5.9: `<start-time> <stop-time>`, decimal.
    static func parseTiming(_ line: SDPParser.Line) throws(SDPError) -> SessionDescription.Timing {
        let parts = tokens(line.value)
        guard parts.count == 2, let start = UInt64(parts[0]), let stop = UInt64(parts[1]) else {
            throw SDPError(.invalidField, line: line.number, "t= must be two decimal times")
        }
        return SessionDescription.Timing(start: start, stop: stop)
    }

    /// RFC 8866 §5.13: `<attribute-name>[:<attribute-value>]`.
    static func parseAttribute(_ line: SDPParser.Line) throws(SDPError) -> SDPAttribute {
        guard let colon = line.value.firstIndex(of: ":") else {
            return SDPAttribute(line.value)
        }
        let name = String(line.value[..<colon])
        guard !name.isEmpty, !name.contains(" ") else {
            throw SDPError(.invalidField, line: line.number, "a= needs an attribute name before ':'")
        }
        return SDPAttribute(name, String(line.value[line.value.index(after: colon)...]))
    }

    /// RFC 8866 §5.14: `<media> <port>[/<number of ports>] <proto> <fmt> ...`.
    static func parseMedia(_ line: SDPParser.Line) throws(SDPError) -> MediaDescription {
        let parts = tokens(line.value)
        guard parts.count >= 3 else {
            throw SDPError(.invalidField, line: line.number, "m= needs <media> <port> <proto> <fmt>...")
        }
        let portPieces = parts[1].split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let port = Int(portPieces[0]), (0...65_535).contains(port) else {
            throw SDPError(.invalidField, line: line.number, "m= port \(parts[1]) is not 0-65535")
        }
        var media = MediaDescription(
            kind: String(parts[0]), port: port, proto: String(parts[2]), formats: parts.dropFirst(3).map(String.init)
        )
        if portPieces.count == 2 {
            guard let count = Int(portPieces[1]), (1...65_535).contains(count) else {
                throw SDPError(.invalidField, line: line.number, "m= port count \(portPieces[1]) is invalid")
            }
            media.portCount = count
        }
        return media
    }
}
