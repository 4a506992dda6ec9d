/// `a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]`
/// (RFC 8866 §6.6).
public struct RTPMap: Hashable, Sendable, CustomStringConvertible {
    /// The RTP payload type, 0–127.
    public var payloadType: UInt8
    /// The encoding name as written (`PCMU`, `opus`, `telephone-event`, …).
    public var encodingName: String
    /// The RTP clock rate in Hz (8000 for G.722 per RFC 3551 §4.5.2).
    public var clockRate: Int
    /// Encoding parameters: the channel count for audio, when given.
    public var channels: Int?

    /// Creates an rtpmap.
    public init(payloadType: UInt8, encodingName: String, clockRate: Int, channels: Int? = nil) {
        self.payloadType = payloadType
        self.encodingName = encodingName
        self.clockRate = clockRate
        self.channels = channels
    }

    /// Parses the value after `a=rtpmap:`.
    /// - Throws: `SDPError.Kind.invalidAttribute` when the grammar does not match.
    public init(attributeValue value: String) throws(SDPError) {
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, let payloadType = UInt8(parts[0]), payloadType < 128 else {
            throw SDPError(.invalidAttribute, "rtpmap needs <payload type 0-127> <encoding>")
        }
        let encoding = parts[1].split(separator: "/", omittingEmptySubsequences: false)
        guard encoding.count == 2 || encoding.count == 3, !encoding[0].isEmpty,
              let clockRate = Int(encoding[1].trimmingSpaces), clockRate > 0 else {
            throw SDPError(.invalidAttribute, "rtpmap encoding must be <name>/<clock rate>[/<channels>]")
        }
        var channels: Int?
        if encoding.count == 3 {
            guard let count = Int(encoding[2].trimmingSpaces), count > 0 else {
                throw SDPError(.invalidAttribute, "rtpmap channel count is invalid")
            }
            channels = count
        }
        self.init(
            payloadType: payloadType, encodingName: String(encoding[0]), clockRate: clockRate, channels: channels
        )
    }

    /// The value after `a=rtpmap:`.
    public var attributeValue: String {
        var text = "\(payloadType) \(encodingName)/\(clockRate)"
        if let channels {
            text += "/\(channels)"
        }
        return text
    }

    /// The whole attribute.
    public var attribute: SDPAttribute {
        SDPAttribute("rtpmap", attributeValue)
    }

    /// Same as `attributeValue`.
    public var description: String {
        attributeValue
    }

    /// Whether this maps the named encoding at this clock rate (names compare
    /// case-insensitively, RFC 4855 §3).
    /// - Parameters:
    ///   - name: the encoding name.
    ///   - clockRate: the RTP clock rate.
    public func matches(_ name: String, clockRate: Int) -> Bool {
        encodingName.lowercased() == name.lowercased() && self.clockRate == clockRate
    }
}

/// Whitespace trimming without Foundation.
extension Substring {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" {
            text = text.dropFirst()
        }
        while let last = text.last, last == " " || last == "\t" {
            text = text.dropLast()
        }
        return text
    }
}

/// Whitespace trimming without Foundation.
extension String {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        String(self[...].trimmingSpaces)
    }
}
