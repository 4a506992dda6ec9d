import Glibc
import NIOCore
import RTP
import SRTP

/// RTCP on the SIP leg (RFC 3550 §6): an SR (with a report block about the
/// phone's stream) and SDES CNAME about every 5 s while we send, on the RTP
/// port with rtcp-mux (RFC 5761) or else from our RTP port + 1 to the peer's
/// RTCP port (`a=rtcp`, RFC 3605, or RTP + 1); SRTCP with SDES keys. The
/// peer's reports give the SIP leg's round-trip time (§6.4.1) and its SRs our
/// LSR/DLSR. Reports are sent from the inactivity timer, not per packet.
extension BridgeCore {
    /// Takes a compound RTCP packet (plain or SRTCP) in `buffers.inbound[0..<count]`.
    /// Returns whether it was taken: it parsed (and authenticated) and its first
    /// packet is from the SSRC of the RTP stream we learnt; anything else (a
    /// stranger on the phone's IP, say) is ignored and must not move where
    /// our RTCP goes.
    @discardableResult
    func receiveRTCP(count: Int) -> Bool {
        var length = count
        if let srtp {
            guard let plain = try? srtp.unprotectRTCP(buffers.inbound, length: count) else { return false }
            length = plain
        }
        guard length >= 8, let stream = receive?.ssrc,
              buffers.inbound.load(fromByteOffset: 4, as: UInt32.self).bigEndian == stream,
              let compound = try? RTCPCompoundPacket.parse(UnsafeRawBufferPointer(rebasing: buffers.inbound[0..<length]),
                                                           requireReportFirst: false) else { return false }
        let now = Self.ntpNow()
        for report in compound.senderReports { receive?.recordSenderReport(report.senderInfo, arrival: now) }
        for block in compound.reportBlocks where block.ssrc == sip.ssrc {
            if let rtt = block.roundTripTime(arrival: now) {
                let (seconds, attoseconds) = rtt.components
                stats.sip.roundTripMs = Double(seconds) * 1000 + Double(attoseconds) / 1e15
            }
        }
        return true
    }

    /// Sends a report when one is due (called from the 250 ms timer).
    func sendRTCPIfDue(now: NIODeadline) {
        guard now >= rtcpNextReport, let parameters, parameters.direction.sends || parameters.direction.receives else { return }
        rtcpNextReport = now + .seconds(5)
        let mux = parameters.rtcpMux
        guard let channel = mux ? channel : rtcpChannel, let destination = rtcpDestination(parameters) else { return }
        let ntp = Self.ntpNow()
        let info = rtcpSend.makeSenderInfo(now: ntp)
        let block = receive?.makeReportBlock(now: ntp)
        let buffer = buffers.outbound
        let room = buffer.count - SRTPSession.maximumTrailerLength
        var writer = RTCPWriter(buffer: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<room]))
        guard (try? writer.appendReport(ssrc: sip.ssrc, senderInfo: info, reportBlock: block, cname: "wagate-\(sip.ssrc)")) != nil
        else { return }
        var length = writer.count
        if let srtp {
            guard let protected = try? srtp.protectRTCP(buffer, length: length) else { return }
            length = protected
        }
        var out = channel.allocator.buffer(capacity: length)
        out.writeBytes(UnsafeRawBufferPointer(rebasing: buffer[0..<length]))
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: destination, data: out), promise: nil)
        stats.rtcpSent += 1
    }

    /// Where our RTCP goes: with mux the RTP destination; else the latched RTCP source or the signalled RTCP port.
    private func rtcpDestination(_ parameters: SIPLegParameters) -> SocketAddress? {
        if parameters.rtcpMux { return latched ?? signalled }
        if let rtcpLatched { return rtcpLatched }
        guard var address = latched ?? signalled else { return nil }
        address.port = parameters.remoteRTCPPort ?? ((latched ?? signalled)?.port ?? 0) + 1
        return address
    }

    /// Wall-clock NTP time for sender reports and LSR/DLSR arithmetic.
    static func ntpNow() -> NTPTimestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return NTPTimestamp(unixNanoseconds: UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec))
    }
}

/// The SIP leg's RTCP socket (our RTP port + 1) when RTCP is not muxed: hands
/// reports from the peer to the bridge on the same loop.
final class SIPRTCPHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let core: BridgeCore

    init(core: BridgeCore) {
        self.core = core
    }

    func handlerAdded(context: ChannelHandlerContext) {
        core.rtcpChannel = context.channel
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard !core.closed, envelope.data.readableBytes >= 8, envelope.data.readableBytes <= 1500 else { return }
        // RTCP on its own port comes from the learnt RTP source's IP; nothing is
        // taken before a source is learnt (RTCP never teaches one). Our reports
        // follow its source port only once a report from the learnt stream's
        // SSRC arrived from there.
        if let current = core.sources.current {
            guard current.sameHost(as: envelope.remoteAddress) else { return }
        } else if core.setup.configuration.strictRTP {
            return
        }
        let inbound = core.buffers.inbound
        envelope.data.withUnsafeReadableBytes { inbound.copyMemory(from: $0) }
        if core.receiveRTCP(count: envelope.data.readableBytes), core.sources.current != nil,
           core.setup.configuration.symmetricRTP != .off {
            core.rtcpLatched = envelope.remoteAddress
        }
    }
}
