// Building the [media] keys that decide where SIP-leg RTP is taken from.

extension ConfigValidator {
    /// `strict_rtp` (default yes): RTP and RTCP from any source other than the
    /// learnt one are dropped, as Asterisk's `strictrtp = yes`.
    /// `rtp_probation` (default 4, 1–32): how many valid RTP packets in a row
    /// (negotiated payload type, one SSRC, consecutive sequence numbers) a new
    /// source must send before it is learnt, as Asterisk's `probation`.
    func buildMediaSources(_ reader: SectionReader, into config: inout MediaConfig) {
        config.strictRTP = reader.bool("strict_rtp", default: true)
        config.rtpProbation = reader.int("rtp_probation", default: 4, in: 1...32, unit: "packets")
    }
}
