/// A mean opinion score estimated from network figures with a simplified
/// ITU-T G.107 E-model, for per-call statistics (not a listening test).
///
/// ```
/// d      = RTT/2 + 2·jitter + codecDelay                (one-way delay, ms)
/// Id     = 0.024·d + 0.11·(d − 177.3)·H(d − 177.3)       (Cole & Rosenbluth's fit
///                                                         of G.107 Idd/Idte)
/// Ppl    = loss in percent
/// Ie,eff = Ie + (95 − Ie) · Ppl / (Ppl + Bpl)            (G.107 §7.6, random loss)
/// R      = 93.2 − Id − Ie,eff                            (G.107 defaults: R0−Is = 93.2, A = 0)
/// MOS    = 1                                             if R ≤ 0
///        = 1 + 0.035·R + 7·10⁻⁶·R·(R − 60)·(100 − R)     if 0 < R < 100  (G.107 Annex B)
///        = 4.5                                           if R ≥ 100
/// ```
/// H is the step function. The jitter buffer is assumed to hold twice the
/// measured jitter. Ie and Bpl come from ITU-T G.113 Appendix I; the scale is
/// narrowband, so a perfect G.711 call scores about 4.4.
public struct MOSEstimate: Sendable, Equatable {
    /// Codec impairment figures (ITU-T G.113 Appendix I).
    public struct CodecImpairment: Sendable, Equatable {
        /// Equipment impairment factor Ie.
        public var ie: Double
        /// Packet-loss robustness factor Bpl.
        public var bpl: Double

        /// Creates impairment figures.
        public init(ie: Double, bpl: Double) {
            self.ie = ie
            self.bpl = bpl
        }

        /// G.711 with packet loss concealment: Ie 0, Bpl 25.1.
        public static let g711WithPLC = CodecImpairment(ie: 0, bpl: 25.1)
        /// G.711 without concealment: Ie 0, Bpl 4.3.
        public static let g711WithoutPLC = CodecImpairment(ie: 0, bpl: 4.3)
    }

    /// The transmission rating factor R (0…100).
    public let rFactor: Double
    /// The estimated MOS (1…4.5).
    public let mos: Double

    /// Estimates from the loss ratio (0…1), interarrival jitter and round-trip
    /// time; `codecDelay` is framing plus look-ahead (25 ms for 20 ms frames).
    public init(
        lossRatio: Double, jitter: Duration, roundTripTime: Duration,
        codecDelay: Duration = .milliseconds(25), codec: CodecImpairment = .g711WithPLC
    ) {
        let delay = Self.milliseconds(roundTripTime) / 2 + 2 * Self.milliseconds(jitter) + Self.milliseconds(codecDelay)
        let delayImpairment = 0.024 * delay + (delay > 177.3 ? 0.11 * (delay - 177.3) : 0)
        let lossPercent = min(100, max(0, lossRatio * 100))
        let lossImpairment = codec.ie + (95 - codec.ie) * lossPercent / (lossPercent + codec.bpl)
        let r = min(100, max(0, 93.2 - delayImpairment - lossImpairment))
        rFactor = r
        mos = Self.mos(rFactor: r)
    }

    /// G.107 Annex B: MOS from R.
    public static func mos(rFactor r: Double) -> Double {
        if r <= 0 { return 1 }
        if r >= 100 { return 4.5 }
        return 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r)
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
