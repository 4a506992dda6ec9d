import NIOCore
import RTP

/// The SIP leg's receive path: symmetric RTP latching, SDES-SRTP unprotect,
/// RTP parse, then the jitter buffer (transcoding), the Opus queue
/// (pass-through) or the telephone-event relay.
extension BridgeCore {
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard !closed, let parameters, parameters.direction.receives,
              accept(from: envelope.remoteAddress) else { return }
        let count = envelope.data.readableBytes
        guard count >= RTPHeader.size, count <= 1500 else { return }
        let inbound = buffers.inbound
        envelope.data.withUnsafeReadableBytes { inbound.copyMemory(from: $0) }
        guard inbound[0] >> 6 == 2 else { return }
        if PacketDemultiplexer.isRTCP(secondByte: inbound[1]) {  // rtcp-mux (RFC 5761 §4)
            receiveRTCP(count: count)
            return
        }
        var length = count
        if let srtp {
            guard let plain = try? srtp.unprotectRTP(inbound, length: count) else { return }
            length = plain
        }
        let packet = UnsafeRawBufferPointer(rebasing: inbound[0..<length])
        guard let (header, range) = RTPHeader.parse(packet) else { return }
        let payload = UnsafeRawBufferPointer(rebasing: packet[range])
        lastSIPPacket = .now()
        if !sipFlowing {
            sipFlowing = true
            setup.emit(.sipMediaFlowing("\(envelope.remoteAddress)"))
        }
        if header.payloadType == parameters.telephoneEventPayloadType {
            receiveEvent(header, payload)
        } else if header.payloadType == parameters.payloadType {
            recordReceived(header, clockRate: parameters.codec.rtpClockRate)
            if parameters.codec.isPassThrough {
                opusQueue.insert(sequenceNumber: header.sequenceNumber, payload: payload)
            } else {
                jitter.insert(timestamp: header.timestamp, ssrc: header.ssrc, payload: payload)
            }
        }
    }

    /// Symmetric RTP (RFC 4961): latch on the first acceptable source, then accept only it.
    private func accept(from source: SocketAddress) -> Bool {
        if let latched { return latched == source }
        switch setup.configuration.symmetricRTP {
        case .off:
            return true
        case .anyAddress:
            latched = source
            return true
        case .signalledAddress:
            guard let signalled, Self.sameHost(signalled, source) else { return false }
            latched = source
            return true
        }
    }

    /// Whether two socket addresses share an IP (ports may differ behind NAT).
    static func sameHost(_ a: SocketAddress, _ b: SocketAddress) -> Bool {
        switch (a, b) {
        case let (.v4(x), .v4(y)): x.address.sin_addr.s_addr == y.address.sin_addr.s_addr
        case let (.v6(x), .v6(y)):
            withUnsafeBytes(of: x.address.sin6_addr) { p in withUnsafeBytes(of: y.address.sin6_addr) { q in p.elementsEqual(q) } }
        default: false
        }
    }

    private func recordReceived(_ header: RTPHeader, clockRate: Int) {
        if receive == nil || receive?.ssrc != header.ssrc {
            receive = RTPReceiveStatistics(ssrc: header.ssrc, minSequential: 1)
        }
        let arrival = RTPReceiveStatistics.clockUnits(nanoseconds: NIODeadline.now().uptimeNanoseconds, clockRate: clockRate)
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
        guard payload.count >= 4, payload[0] < 16 else { return }  // DTMF 0–15 only toward WhatsApp
        let duration = Int(payload[2]) << 8 | Int(payload[3])
        let outcome = events.receive(code: payload[0], end: payload[1] & 0x80 != 0, duration: duration,
                                     timestamp: header.timestamp, now: NIODeadline.now().uptimeNanoseconds)
        if case let .ended(code, ticks) = outcome {
            stats.digitsRelayed += 1
            setup.emit(.dtmf(Self.digits[Int(code)], durationMs: ticks / 8, from: .sip))
        }
    }

    /// RFC 4733 §3.2 event codes 0–15.
    static let digits: [Character] = Array("0123456789*#ABCD")
}
