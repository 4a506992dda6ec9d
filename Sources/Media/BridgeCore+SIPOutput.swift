import NIOCore
import RTP

/// The WhatsApp → SIP direction: each decoded 20 ms frame from the WhatsApp
/// leg is converted to the SIP codec's rate, queued, and cut into packets of
/// the SIP ptime (10/20/30/40 ms) as soon as enough audio is there; in
/// pass-through Opus payloads are forwarded as they arrive. RFC 4733 events
/// from WhatsApp are relayed with our sequence numbers and a timestamp
/// rebased onto our stream. One SSRC; the timestamp advances with time, so
/// the SIP peer sees one continuous stream across holds and pauses.
extension BridgeCore {
    func receivedFrame(_ frame: UnsafeBufferPointer<Int16>) {
        defer { latency.record(nanoseconds: Int64(clock.now().uptimeNanoseconds) - Int64(arrival.uptimeNanoseconds)) }
        guard sipAnswered else { return }  // before the SIP answer it is dropped (BridgeCore+Onset.swift)
        if ringback != nil { stopRingback() }  // the far end's own audio replaces ours
        sendToSIP(frame)
    }

    /// Queues one 20 ms frame at the leg's rate for the SIP peer (from WhatsApp, or the local ringback).
    func sendToSIP(_ frame: UnsafeBufferPointer<Int16>) {
        let keep = min(frame.count, buffers.lastWhatsApp.count)
        if recorder != nil {
            _ = buffers.lastWhatsApp.update(fromContentsOf: frame.prefix(keep))
        }
        guard let parameters, !parameters.codec.isPassThrough else { return }
        let ptimeTicks = parameters.effectivePtime * 8
        let ptimeSamples = parameters.effectivePtime * parameters.codec.sampleRate / 1000
        advanceForPause(frameTicks: 160, ptimeTicks: ptimeTicks)
        // Append this frame at the SIP rate.
        let room = UnsafeMutableBufferPointer(rebasing: buffers.fifo[sip.fifoCount...])
        if let toSIP {
            sip.fifoCount += toSIP.convert(frame, into: room)
        } else {
            let count = min(frame.count, room.count)
            _ = room.update(fromContentsOf: frame.prefix(count))
            sip.fifoCount += count
        }
        while sip.fifoCount >= ptimeSamples {
            sendAudio(UnsafeBufferPointer(rebasing: buffers.fifo[0..<ptimeSamples]), parameters: parameters, ticks: ptimeTicks)
            let rest = sip.fifoCount - ptimeSamples
            if rest > 0 {
                UnsafeMutableRawPointer(buffers.fifo.baseAddress!).copyMemory(
                    from: buffers.fifo.baseAddress! + ptimeSamples, byteCount: rest * MemoryLayout<Int16>.size)
            }
            sip.fifoCount = rest
        }
    }

    /// After a pause of the WhatsApp stream, moves our timestamp on by the time that passed (RFC 3550 §5.1).
    private func advanceForPause(frameTicks: Int, ptimeTicks: Int) {
        let now = clock.now()
        defer { sip.lastFrameAt = now }
        guard let last = sip.lastFrameAt else { return }
        let gap = Int((now - last).nanoseconds / 1_000_000)
        if gap > 120 {
            let ticks = (gap - 20) * 8 / ptimeTicks * ptimeTicks
            sip.timestamp &+= UInt32(ticks)
            sip.marker = true
            sip.fifoCount = 0
        }
    }

    private func sendAudio(_ pcm: UnsafeBufferPointer<Int16>, parameters: SIPLegParameters, ticks: Int) {
        defer { sip.timestamp &+= UInt32(ticks) }
        guard parameters.direction.sends, !relayingEvent() else { return }
        let packet = buffers.outbound
        let header = RTPHeader(marker: sip.marker, payloadType: parameters.payloadType, sequenceNumber: sip.sequence,
                               timestamp: sip.timestamp, ssrc: sip.ssrc)
        header.write(to: packet)
        let body = UnsafeMutableRawBufferPointer(rebasing: packet[RTPHeader.size..<1400]).bindMemory(to: UInt8.self)
        var bytes = 0
        if let g711 { bytes = g711.encode(pcm, into: body) } else if let g722 { bytes = g722.encode(pcm, into: body) }
        guard bytes > 0 else { return }
        sip.marker = false
        sip.sequence &+= 1
        send(length: RTPHeader.size + bytes)
    }

    func receivedOpusPayload(_ payload: UnsafeRawBufferPointer, sequenceNumber: UInt16, timestamp: UInt32) {
        defer { latency.record(nanoseconds: Int64(clock.now().uptimeNanoseconds) - Int64(arrival.uptimeNanoseconds)) }
        if let browser {
            browser.forwardFromWhatsApp(payload, sequenceNumber: sequenceNumber, timestamp: timestamp)
            return
        }
        guard sipAnswered, let parameters, parameters.codec.isPassThrough else { return }
        // Keep the peer's gaps (so the SIP side sees loss) but in our numbering.
        // Locals: overlapping inout accesses to `sip` (a class's stored property) would trap.
        var outSequence = sip.sequence, outTimestamp = sip.timestamp
        _ = sip.passThrough.follow(sequence: sequenceNumber, timestamp: timestamp, outSequence: &outSequence, outTimestamp: &outTimestamp)
        sip.sequence = outSequence
        sip.timestamp = outTimestamp
        guard parameters.direction.sends, !relayingEvent(), payload.count <= 1400 else {
            sip.sequence &+= 1
            return
        }
        let packet = buffers.outbound
        RTPHeader(marker: sip.marker, payloadType: parameters.payloadType, sequenceNumber: sip.sequence,
                  timestamp: sip.timestamp, ssrc: sip.ssrc).write(to: packet)
        UnsafeMutableRawBufferPointer(rebasing: packet[RTPHeader.size..<(RTPHeader.size + payload.count)]).copyMemory(from: payload)
        sip.marker = false
        sip.sequence &+= 1
        send(length: RTPHeader.size + payload.count)
    }

    /// An RFC 4733 payload from WhatsApp: forwarded once per packet of the
    /// newest event, at most three end packets, never for an older event.
    func receivedTelephoneEvent(_ payload: UnsafeRawBufferPointer, timestamp: UInt32) {
        if let browser {
            if browser.forwardEventFromWhatsApp(payload, timestamp: timestamp) { stats.digitsRelayed += 1 }
            return
        }
        guard sipAnswered, let parameters, let eventType = parameters.telephoneEventPayloadType, payload.count >= 4
        else { return }
        let end = payload[1] & 0x80 != 0
        guard case .forward(let marker, let start, let newDigit) = sip.passThrough.event(
            timestamp: timestamp, end: end, outTimestamp: sip.timestamp) else { return }
        if newDigit { stats.digitsRelayed += 1 }
        if end {
            sip.eventActiveSince = nil
        } else {
            sip.eventActiveSince = clock.now()
        }
        // The WhatsApp leg sends an event packet instead of a 20 ms audio frame: our clock moves on as well.
        defer {
            sip.timestamp &+= parameters.codec.isPassThrough ? 960 : 160
            sip.lastFrameAt = clock.now()
        }
        guard parameters.direction.sends else { return }
        let packet = buffers.outbound
        RTPHeader(marker: marker, payloadType: eventType, sequenceNumber: sip.sequence, timestamp: start, ssrc: sip.ssrc)
            .write(to: packet)
        UnsafeMutableRawBufferPointer(rebasing: packet[RTPHeader.size..<(RTPHeader.size + 4)])
            .copyMemory(from: UnsafeRawBufferPointer(rebasing: payload[0..<4]))
        sip.sequence &+= 1
        send(length: RTPHeader.size + 4)
    }

    /// Whether a WhatsApp event is playing toward SIP (audio is held back meanwhile; 300 ms without packets ends it).
    private func relayingEvent() -> Bool {
        guard let since = sip.eventActiveSince else { return false }
        if clock.now() - since > .milliseconds(300) {
            sip.eventActiveSince = nil
            return false
        }
        return true
    }

    /// Protects (SDES-SRTP) and sends `buffers.outbound[0..<length]` to the SIP peer.
    func send(length: Int) {
        guard let context, let destination = latched ?? signalled else { return }
        var length = length
        if buffers.outbound[1] & 0x7F == parameters?.payloadType {
            rtcpSend.record(payloadSize: length - RTPHeader.size, rtpTimestamp: sip.timestamp, at: Self.ntpNow())
        }
        if let srtp {
            guard let protected = try? srtp.protectRTP(buffers.outbound, length: length) else { return }
            length = protected
        }
        outBuffer.clear()
        outBuffer.writeBytes(UnsafeRawBufferPointer(rebasing: buffers.outbound[0..<length]))
        context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: destination, data: outBuffer)), promise: nil)
        stats.sip.packetsSent += 1
    }
}
