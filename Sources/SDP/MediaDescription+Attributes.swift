/// Typed accessors over a media section's attributes. Malformed attributes are
/// skipped by the list accessors (peers differ; one bad line must not lose a call);
/// parse the raw `attributes` with the types' `init(attributeValue:)` to see errors.
extension MediaDescription {
    /// `a=rtpmap` lines (RFC 8866 §6.6).
    public var rtpMaps: [RTPMap] {
        attributes.values("rtpmap").compactMap { try? RTPMap(attributeValue: $0) }
    }

    /// The rtpmap for a payload type: the explicit line, else the RFC 3551 §6 static
    /// assignment for 0 (PCMU), 8 (PCMA), 9 (G722), 3 (GSM), 18 (G729), 13 (CN).
    /// - Parameter payloadType: the payload type.
    public func rtpMap(for payloadType: UInt8) -> RTPMap? {
        if let explicit = rtpMaps.first(where: { $0.payloadType == payloadType }) {
            return explicit
        }
        return RTPMap.staticAssignment(payloadType)
    }

    /// `a=fmtp` lines (RFC 8866 §6.15).
    public var formatParameters: [FormatParameters] {
        attributes.values("fmtp").compactMap { try? FormatParameters(attributeValue: $0) }
    }

    /// The fmtp line for a payload type.
    /// - Parameter payloadType: the payload type.
    public func formatParameters(for payloadType: UInt8) -> FormatParameters? {
        formatParameters.first { $0.payloadType == payloadType }
    }

    /// `a=ptime` in milliseconds (RFC 8866 §6.4); fractional values are truncated.
    public var ptime: Int? {
        Self.milliseconds(attributes.firstValue("ptime"))
    }

    /// `a=maxptime` in milliseconds (RFC 8866 §6.5).
    public var maxptime: Int? {
        Self.milliseconds(attributes.firstValue("maxptime"))
    }

    /// The explicit direction attribute at media level, if any (RFC 8866 §6.7).
    public var direction: MediaDirection? {
        attributes.lazy.compactMap { MediaDirection(rawValue: $0.name) }.first
    }

    /// Replaces any direction attribute with `direction`, keeping its position.
    /// - Parameter direction: the new direction.
    public mutating func setDirection(_ direction: MediaDirection) {
        if let index = attributes.firstIndex(where: { MediaDirection(rawValue: $0.name) != nil }) {
            attributes[index] = direction.attribute
            var next = index + 1
            while next < attributes.count {
                if MediaDirection(rawValue: attributes[next].name) != nil {
                    attributes.remove(at: next)
                } else {
                    next += 1
                }
            }
        } else {
            attributes.append(direction.attribute)
        }
    }

    /// `a=rtcp-mux` (RFC 5761 §5.1.1).
    public var rtcpMux: Bool {
        attributes.contains("rtcp-mux")
    }

    /// `a=mid` (RFC 9143 §5).
    public var mid: String? {
        attributes.firstValue("mid")
    }

    /// `a=ssrc` lines (RFC 5576 §4.1).
    public var ssrcAttributes: [SSRCAttribute] {
        attributes.values("ssrc").compactMap { try? SSRCAttribute(attributeValue: $0) }
    }

    /// The distinct SSRCs in order of first appearance.
    public var ssrcs: [UInt32] {
        var seen: [UInt32] = []
        for item in ssrcAttributes where !seen.contains(item.ssrc) {
            seen.append(item.ssrc)
        }
        return seen
    }

    /// The `cname` of an SSRC.
    /// - Parameter ssrc: the source id.
    public func cname(of ssrc: UInt32) -> String? {
        ssrcAttributes.first { $0.ssrc == ssrc && $0.name == "cname" }?.value
    }

    /// `a=rtcp-fb` lines (RFC 4585 §4.2).
    public var rtcpFeedback: [RTCPFeedback] {
        attributes.values("rtcp-fb").compactMap { try? RTCPFeedback(attributeValue: $0) }
    }

    /// `a=candidate` lines (RFC 8839 §5.1).
    public var candidates: [ICECandidate] {
        attributes.values("candidate").compactMap { try? ICECandidate(attributeValue: $0) }
    }

    /// Media-level `a=ice-ufrag` (RFC 8839 §5.4).
    public var iceUfrag: String? {
        attributes.firstValue("ice-ufrag")
    }

    /// Media-level `a=ice-pwd` (RFC 8839 §5.4).
    public var icePwd: String? {
        attributes.firstValue("ice-pwd")
    }

    /// Media-level `a=fingerprint` lines (RFC 8122 §5).
    public var fingerprints: [Fingerprint] {
        attributes.values("fingerprint").compactMap { try? Fingerprint(attributeValue: $0) }
    }

    /// Media-level `a=setup` (RFC 4145 §4).
    public var setup: SetupRole? {
        attributes.firstValue("setup").flatMap { SetupRole(rawValue: $0.trimmingSpaces.lowercased()) }
    }

    /// Where the peer of this stream takes RTCP: its RTP port with rtcp-mux (RFC 5761),
    /// else `a=rtcp` (RFC 3605), else the RTP port + 1 (RFC 3550 §11).
    /// - Parameter muxed: whether rtcp-mux was agreed.
    public func rtcpPort(muxed: Bool) -> Int {
        if muxed {
            return port
        }
        if let value = attributes.firstValue("rtcp"),
           let first = value.split(separator: " ").first, let port = Int(first), (1...65_535).contains(port) {
            return port
        }
        return min(port + 1, 65_535)
    }

    /// `a=crypto` lines (RFC 4568 §9.1): the first `CryptoAttribute.maximumLines` that parse.
    public var cryptos: [CryptoAttribute] {
        attributes.values("crypto").prefix(CryptoAttribute.maximumLines).compactMap { try? CryptoAttribute(attributeValue: $0) }
    }

    private static func milliseconds(_ text: String?) -> Int? {
        guard let text else { return nil }
        let whole = text.trimmingSpaces.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)[0]
        guard let value = Int(whole), value > 0, value <= 10_000 else { return nil }
        return value
    }
}

/// Static payload type assignments.
extension RTPMap {
    /// The RFC 3551 §6 static audio payload types wagate may meet.
    /// - Parameter payloadType: a static payload type.
    public static func staticAssignment(_ payloadType: UInt8) -> RTPMap? {
        switch payloadType {
        case 0: return RTPMap(payloadType: 0, encodingName: "PCMU", clockRate: 8000)
        case 3: return RTPMap(payloadType: 3, encodingName: "GSM", clockRate: 8000)
        case 8: return RTPMap(payloadType: 8, encodingName: "PCMA", clockRate: 8000)
        case 9: return RTPMap(payloadType: 9, encodingName: "G722", clockRate: 8000)
        case 13: return RTPMap(payloadType: 13, encodingName: "CN", clockRate: 8000)
        case 18: return RTPMap(payloadType: 18, encodingName: "G729", clockRate: 8000)
        default: return nil
        }
    }
}
