import CallControl
import Media
import NIOCore

/// Each media event loop's measured load, sampled at scrape time from what the
/// loops publish (never per packet): busy ratio, media clock lateness and resyncs.
extension GatewayMetrics {
    /// Sets the loop gauges from every loop that has carried media.
    func sampleMediaLoops() {
        for load in MediaLoopLoad.all {
            let labels = [("loop", load.label)]
            gauge("wagate_media_loop_busy_ratio",
                  "Thread CPU time per wall time of a media event loop over its last 0.5 s window", labels)
                .set(load.busyRatio)
            gauge("wagate_media_loop_tick_lateness_p99_seconds",
                  "99th percentile of how late a media loop's 20 ms clock fired, last 0.5 s window", labels)
                .set(load.tickLatenessP99)
            gauge("wagate_media_loop_tick_lateness_max_seconds",
                  "The latest a media loop's 20 ms clock fired, last 0.5 s window", labels)
                .set(load.tickLatenessMax)
            gauge("wagate_media_loop_resyncs",
                  "Times a media loop's clock fell over 100 ms behind and skipped ahead, since start", labels)
                .set(Double(load.resyncs))
        }
    }
}

/// The media loops' measured load as call control's admission reads it: the
/// busy ratio of the least busy loop of the group new calls' media goes to.
struct LoopHeadroom: MediaHeadroom {
    /// The loops new calls' media is placed on.
    let group: any EventLoopGroup

    func busyRatio() -> Double {
        MediaLoopLoad.leastBusyRatio(in: group)
    }
}
