// The local answer to an in-dialog offer on a direct-media internal call.

/// Text edits of a direct-media internal call's SDP (call control does not parse SDP).
enum InternalSDP {
    /// `answer` (the other party's SDP) with the direction that mirrors `offer`'s
    /// (`sendonly` → `recvonly`, `recvonly` → `sendonly`, `inactive` → `inactive`,
    /// else `sendrecv`) and its `o=` version raised by one, so the phone sees a
    /// changed session (RFC 3264 §8).
    static func mirroring(_ answer: String, offer: String?) -> String {
        let lines = answer.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        let directions: Set<String> = ["a=sendrecv", "a=sendonly", "a=recvonly", "a=inactive"]
        var out = lines.filter { !directions.contains($0) }.map(raisedVersion)
        while out.last?.isEmpty == true { out.removeLast() }
        out.append(mirrored(offer))
        return out.joined(separator: "\r\n") + "\r\n"
    }

    /// The direction attribute that answers `offer`'s.
    private static func mirrored(_ offer: String?) -> String {
        let text = offer ?? ""
        if text.contains("a=sendonly") { return "a=recvonly" }
        if text.contains("a=recvonly") { return "a=sendonly" }
        if text.contains("a=inactive") { return "a=inactive" }
        return "a=sendrecv"
    }

    /// An `o=` line with its session version plus one; other lines unchanged.
    private static func raisedVersion(_ line: String) -> String {
        guard line.hasPrefix("o=") else { return line }
        var fields = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard fields.count >= 3, let version = UInt64(fields[2]), version < UInt64.max else { return line }
        fields[2] = String(version + 1)
        return fields.joined(separator: " ")
    }
}
