import Media
import Prometheus

/// Media series: per-call quality at call end (one observation per leg and
/// call, never per packet), WhatsApp-leg setup failures by stage and reason, and
/// RTP ports sampled at scrape time.
extension GatewayMetrics {
    /// MOS buckets on the E-model's 1…4.5 scale (4.3+ is toll quality, below 3.6 users complain).
    static let mosBuckets: [Double] = [1, 2, 2.5, 3, 3.3, 3.6, 3.8, 4, 4.1, 4.2, 4.3, 4.4, 4.5]
    /// Jitter and RTT buckets, seconds.
    static let delayBuckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3,
                                         0.5, 1]
    /// Loss ratio buckets (0…1).
    static let lossBuckets: [Double] = [0, 0.001, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.5, 1]

    /// Observes a finished call's figures, for each leg that received media.
    func mediaEnded(_ statistics: MediaBridgeStatistics) {
        observe(statistics.sip, leg: "sip")
        observe(statistics.whatsapp, leg: "whatsapp")
    }

    private func observe(_ figures: MediaLegStatistics, leg: String) {
        guard figures.packetsReceived > 0 else { return }
        let quality = qualityHistograms(leg)
        quality.mos.record(figures.mos)
        quality.jitter.record(figures.jitterMs / 1_000)
        let expected = figures.packetsReceived + figures.packetsLost
        quality.loss.record(Double(max(0, figures.packetsLost)) / Double(max(1, expected)))
        if let rtt = figures.roundTripMs { quality.rtt.record(rtt / 1_000) }
    }

    /// The four quality histograms of `leg`.
    func qualityHistograms(_ leg: String)
        -> (mos: ValueHistogram, jitter: ValueHistogram, loss: ValueHistogram, rtt: ValueHistogram) {
        let labels = [("leg", leg)]
        return (histogram("wagate_call_mos", "Estimated MOS of a call at its end, per leg", Self.mosBuckets, labels),
                histogram("wagate_call_jitter_seconds", "Interarrival jitter of a call at its end, per leg",
                          Self.delayBuckets, labels),
                histogram("wagate_call_loss_ratio", "Packets lost of packets expected over a call, per leg",
                          Self.lossBuckets, labels),
                histogram("wagate_call_rtt_seconds", "Round-trip time from RTCP at a call's end, per leg",
                          Self.delayBuckets, labels))
    }

    /// Creates the media, Graph and port series at zero (every fixed label value).
    func zeroAdapters() {
        for leg in ["sip", "whatsapp"] { _ = qualityHistograms(leg) }
        for (stage, reason) in [("ice", "failed"), ("ice", "timeout"), ("dtls", "handshake"), ("dtls", "closed"),
                                ("dtls", "srtp_keying")] {
            _ = mediaFailures(stage, reason)
        }
        for action in Self.graphActions {
            _ = graphCounter(action, "ok")
            _ = graphHistogram(action)
        }
        _ = gauge("wagate_rtp_ports_in_use", "RTP/RTCP port pairs allocated to calls")
        _ = gauge("wagate_rtp_ports_free", "RTP/RTCP port pairs free in rtp_port_range")
    }

    /// The WhatsApp leg (ICE, DTLS, SRTP keying) failed with the media engine's `reason`.
    func mediaSetupFailed(_ reason: String) {
        let (stage, cause) = Self.classify(mediaFailure: reason)
        mediaFailures(stage, cause).increment()
    }

    private func mediaFailures(_ stage: String, _ reason: String) -> Counter {
        counter("wagate_media_setup_failures_total",
                "WhatsApp-leg media setup failures, by stage (ice, dtls) and reason",
                [("stage", stage), ("reason", reason)])
    }

    /// A bounded (stage, reason) pair for the WebRTC leg's failure text.
    static func classify(mediaFailure reason: String) -> (String, String) {
        if reason.hasPrefix("DTLS failed") { return ("dtls", "handshake") }
        if reason.hasPrefix("the peer closed DTLS") { return ("dtls", "closed") }
        if reason.hasPrefix("SRTP could not be keyed") { return ("dtls", "srtp_keying") }
        // A path that answers nothing (a firewall dropping UDP toward Meta) is a timeout, whether
        // the setup deadline, ICE's connectivity deadline or the checks' retransmissions ran out first.
        if reason.hasPrefix("media setup timed out")
            || reason.hasPrefix("ICE failed: no connectivity check was answered")
            || reason.hasPrefix("ICE failed: no candidate pair selected before") {
            return ("ice", "timeout")
        }
        return ("ice", "failed")
    }

    /// Samples the RTP port pool at each scrape: pairs in use and free.
    func samplePorts(_ ports: RTPPortAllocator) {
        let inUse = gauge("wagate_rtp_ports_in_use", "RTP/RTCP port pairs allocated to calls")
        let free = gauge("wagate_rtp_ports_free", "RTP/RTCP port pairs free in rtp_port_range")
        let used = ports.allocatedCount
        inUse.set(to: Double(used))
        free.set(to: Double(max(0, ports.capacity - used)))
    }

    private func histogram(_ name: String, _ help: String, _ buckets: [Double], _ labels: [(String, String)])
        -> ValueHistogram {
        registry.makeValueHistogram(descriptor: Self.descriptor(name, help), labels: labels,
                                    buckets: buckets)
    }
}
