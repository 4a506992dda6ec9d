import Glibc
import NIOCore
import RTP
import SRTP

/// RTCP on the WhatsApp leg (RFC 3550 §6): a compound SR/RR + SDES CNAME one
/// second after media starts and about every 5 s after, even in silence
/// (WhatsApp drops calls that go quiet); incoming reports feed the round-trip
/// time (§6.4.1) and our receiver reports' LSR/DLSR.
extension WebRTCLegEngine {
    /// The mean time between reports.
    static let reportInterval: TimeAmount = .seconds(5)

    /// The wait before the next report: the mean interval times a uniform
    /// factor in [0.5, 1.5] (RFC 3550 §6.3.1), so that calls started together
    /// (a burst of answers, a restart) do not send their reports in step.
    static func randomizedReportInterval<G: RandomNumberGenerator>(using generator: inout G) -> TimeAmount {
        let mean = reportInterval.nanoseconds
        return .nanoseconds(mean / 2 + Int64.random(in: 0...mean, using: &generator))
    }

    /// Wall-clock NTP time for sender reports and LSR/DLSR arithmetic.
    static func ntpNow() -> NTPTimestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return NTPTimestamp(unixNanoseconds: UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec))
    }

    /// Sends a report when one is due; called from the 20 ms media tick.
    func sendReportIfDue(now: NIODeadline) {
        guard now >= rtcp.nextReportAt, let srtp, let address = remoteRTCPAddress ?? remoteAddress else { return }
        var generator = SystemRandomNumberGenerator()
        rtcp.nextReportAt = now + Self.randomizedReportInterval(using: &generator)
        let ntp = Self.ntpNow()
        let info = rtcp.send.makeSenderInfo(now: ntp)
        let block = rtcp.receive?.makeReportBlock(now: ntp)
        let buffer = buffers.outbound
        let room = buffer.count - SRTPSession.maximumTrailerLength
        var writer = RTCPWriter(buffer: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<room]))
        guard (try? writer.appendReport(ssrc: media.ssrc, senderInfo: info, reportBlock: block, cname: cname)) != nil,
              let length = try? srtp.protectRTCP(buffer, length: writer.count) else { return }
        writePacket(length: length, to: address)
        statistics.rtcpSent += 1
    }

    /// Takes an unprotected compound RTCP packet from the peer.
    func receiveRTCP(_ packet: UnsafeRawBufferPointer) {
        statistics.rtcpReceived += 1
        guard let compound = try? RTCPCompoundPacket.parse(packet, requireReportFirst: false) else { return }
        let ntp = Self.ntpNow()
        for report in compound.senderReports {
            rtcp.receive?.recordSenderReport(report.senderInfo, arrival: ntp)
        }
        for block in compound.reportBlocks where block.ssrc == media.ssrc {
            if let rtt = block.roundTripTime(arrival: ntp) {
                let (seconds, attoseconds) = rtt.components
                statistics.roundTripMs = Double(seconds) * 1000 + Double(attoseconds) / 1e15
            }
        }
    }

    /// The counters with the current interarrival jitter filled in.
    var statisticsSnapshot: WebRTCLegStatistics {
        var snapshot = statistics
        if let receive = rtcp.receive {
            let (seconds, attoseconds) = receive.jitter(clockRate: media.clockRate).components
            snapshot.jitterMs = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        }
        return snapshot
    }

    /// Counts a received RTP packet for the receiver report (RFC 3550 A.1, A.8).
    func recordReceived(_ header: RTPHeader) {
        if rtcp.receive == nil || rtcp.receive?.ssrc != header.ssrc {
            rtcp.receive = RTPReceiveStatistics(ssrc: header.ssrc)
        }
        let arrival = RTPReceiveStatistics.clockUnits(nanoseconds: clock.uptimeNanoseconds(), clockRate: media.clockRate)
        _ = rtcp.receive?.record(sequenceNumber: header.sequenceNumber, timestamp: header.timestamp, arrival: arrival)
    }
}

/// RTCP bookkeeping of one leg.
struct RTCPState {
    var send = RTPSendStatistics(clockRate: 48_000)
    var receive: RTPReceiveStatistics?
    var nextReportAt = NIODeadline.distantFuture
}
