import Foundation

/// One leg's media figures at call end, as a CDR keeps them: packets each
/// way, packets lost, interarrival jitter, round-trip time and the estimated MOS.
/// Written once, from the media bridge's per-call statistics when the call ends;
/// all nil for a call that never had media.
public struct CallLegQuality: Codable, Sendable, Equatable {
    /// RTP packets sent on the leg.
    public var packetsSent: Int?
    /// RTP packets received on the leg.
    public var packetsReceived: Int?
    /// Packets lost (sequence gaps) on the leg.
    public var packetsLost: Int?
    /// Interarrival jitter (RFC 3550 A.8), ms.
    public var jitterMs: Double?
    /// Round-trip time from RTCP (SIP) or ICE/RTCP (WhatsApp), ms, when known.
    public var roundTripMs: Double?
    /// Estimated MOS (1…4.5).
    public var mos: Double?

    /// Creates a value.
    public init(packetsSent: Int? = nil, packetsReceived: Int? = nil, packetsLost: Int? = nil,
                jitterMs: Double? = nil, roundTripMs: Double? = nil, mos: Double? = nil) {
        self.packetsSent = packetsSent
        self.packetsReceived = packetsReceived
        self.packetsLost = packetsLost
        self.jitterMs = jitterMs
        self.roundTripMs = roundTripMs
        self.mos = mos
    }

    /// Packets lost as a fraction of packets expected (received + lost), when known.
    public var lossRatio: Double? {
        guard let packetsLost, let packetsReceived else { return nil }
        let expected = packetsLost + packetsReceived
        return expected > 0 ? Double(packetsLost) / Double(expected) : 0
    }
}
