/// Local answers to re-INVITE/UPDATE offers (hold, resume, refresh) made from
/// our own last SDP: only the direction changes (RFC 3264 §6.1, §8.4).
/// Works on whole lines; SDP lines end in CRLF on output.
enum SDPDirection {
    static let directions = ["sendrecv", "sendonly", "recvonly", "inactive"]

    /// The direction an offer asks for: an explicit attribute (media level wins),
    /// or `sendonly` for the legacy `c=IN IP4 0.0.0.0` hold (RFC 3264 §8.4).
    static func offered(_ offer: String) -> String {
        var direction = "sendrecv"
        for line in offer.split(whereSeparator: \.isNewline) {
            if line.hasPrefix("a="), directions.contains(String(line.dropFirst(2))) { direction = String(line.dropFirst(2)) }
            if line.hasPrefix("c=IN IP4 0.0.0.0") { direction = "sendonly" }
        }
        return direction
    }

    /// The mirror image of an offered direction.
    static func mirror(_ direction: String) -> String {
        switch direction {
        case "sendonly": "recvonly"
        case "recvonly": "sendonly"
        case "inactive": "inactive"
        default: "sendrecv"
        }
    }

    /// Our SDP with its direction set to mirror the offer's.
    static func answer(_ ours: String, toOffer offer: String) -> String {
        let wanted = mirror(offered(offer))
        var lines = ours.split(whereSeparator: \.isNewline).map(String.init)
        lines.removeAll { $0.hasPrefix("a=") && directions.contains(String($0.dropFirst(2))) }
        lines.append("a=" + wanted)
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Increments the session version in the o= line (RFC 3264 §8).
    static func bumpVersion(_ sdp: String) -> String {
        var lines = sdp.split(whereSeparator: \.isNewline).map(String.init)
        if let index = lines.firstIndex(where: { $0.hasPrefix("o=") }) {
            var fields = lines[index].split(separator: " ").map(String.init)
            if fields.count >= 3, let version = UInt64(fields[2]) {
                fields[2] = String(version &+ 1)
                lines[index] = fields.joined(separator: " ")
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
