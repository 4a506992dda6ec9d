import NIOCore
import RTP

/// The SIP leg's receive path: the source check (`RTPSourceLearner`: strict
/// sources, symmetric RTP with probation), SDES-SRTP unprotect, RTP parse,
/// then the jitter buffer (transcoding), the Opus queue (pass-through) or the
/// telephone-event relay. A packet from a source that is not learnt never
/// reaches libsrtp, and one that fails to parse never moves the latch.
extension BridgeCore {
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard !closed, let parameters, parameters.direction.receives else { return }
        let source = envelope.remoteAddress
        let strict = setup.configuration.strictRTP
        guard !strict || sources.mayAdmit(source) else { return }
        let count = envelope.data.readableBytes
        guard count >= RTPHeader.size, count <= 1500 else { return }
        let inbound = buffers.inbound
        envelope.data.withUnsafeReadableBytes { inbound.copyMemory(from: $0) }
        guard inbound[0] >> 6 == 2 else { return }
        if PacketDemultiplexer.isRTCP(secondByte: inbound[1]) {  // rtcp-mux (RFC 5761 §4)
            // RTCP is never a reason to learn: it is taken only from the learnt RTP source.
            guard !strict || sources.current == source else { return }
            receiveRTCP(count: count)
            return
        }
        var length = count
        if let srtp {
            guard let plain = try? srtp.unprotectRTP(inbound, length: count) else { return }
            length = plain
        }
        let packet = UnsafeRawBufferPointer(rebasing: inbound[0..<length])
        guard let (header, range) = RTPHeader.parse(packet),
              header.payloadType == parameters.payloadType || header.payloadType == parameters.telephoneEventPayloadType
        else { return }
        let verdict = sources.admit(source, ssrc: header.ssrc, sequence: header.sequenceNumber,
                                    now: clock.now().uptimeNanoseconds)
        if verdict == .drop, strict { return }
        if verdict == .learned { learned(source) }
        let payload = UnsafeRawBufferPointer(rebasing: packet[range])
        lastSIPPacket = clock.now()
        if header.payloadType == parameters.telephoneEventPayloadType {
            receiveEvent(header, payload)
        } else {
            recordReceived(header, clockRate: parameters.codec.rtpClockRate)
            if parameters.codec.isPassThrough {
                opusQueue.insert(sequenceNumber: header.sequenceNumber, payload: payload)
            } else {
                jitter.insert(timestamp: header.timestamp, ssrc: header.ssrc, payload: payload)
            }
        }
    }

    /// A source was latched: the first one reports media flowing; each further
    /// one (after a re-INVITE, a silent source replaced, or the SDP address
    /// taking the latch back) is logged, since it moves where the phone's audio
    /// goes.
    private func learned(_ source: SocketAddress) {
        rtcpLatched = nil
        if !sipFlowing {
            sipFlowing = true
            setup.emit(.sipMediaFlowing("\(source)"))
        } else {
            setup.logger.notice("SIP-leg RTP source re-learnt",
                                metadata: ["call_id": "\(setup.configuration.label)", "source": "\(source)"])
        }
    }

    private func recordReceived(_ header: RTPHeader, clockRate: Int) {
        if receive == nil || receive?.ssrc != header.ssrc {
            receive = RTPReceiveStatistics(ssrc: header.ssrc, minSequential: 1)
        }
        let arrival = RTPReceiveStatistics.clockUnits(nanoseconds: clock.now().uptimeNanoseconds, clockRate: clockRate)
        receive?.record(sequenceNumber: header.sequenceNumber, timestamp: header.timestamp, arrival: arrival)
    }

    /// RFC 4733 §2.3 payload from the SIP leg: relayed live to WhatsApp.
    ///
    /// ```
    ///  0                   1                   2                   3
    ///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    /// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    /// |     event     |E|R| volume    |          duration             |
    /// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    /// ```
    private func receiveEvent(_ header: RTPHeader, _ payload: UnsafeRawBufferPointer) {
        takeBusinessEvent(payload, timestamp: header.timestamp)
    }

    /// One RFC 4733 payload from the business side (a SIP phone or a browser), queued for WhatsApp.
    func takeBusinessEvent(_ payload: UnsafeRawBufferPointer, timestamp: UInt32) {
        guard payload.count >= 4, payload[0] < 16 else { return }  // DTMF 0–15 only toward WhatsApp
        let duration = Int(payload[2]) << 8 | Int(payload[3])
        let outcome = events.receive(code: payload[0], end: payload[1] & 0x80 != 0, duration: duration,
                                     timestamp: timestamp, now: clock.now().uptimeNanoseconds)
        if case let .ended(code, ticks) = outcome {
            stats.digitsRelayed += 1
            setup.emit(.dtmf(Self.digits[Int(code)], durationMs: ticks / 8, from: .sip))
        }
    }

    /// RFC 4733 §3.2 event codes 0–15.
    static let digits: [Character] = Array("0123456789*#ABCD")
}
