import RTP

/// RFC 4733 telephone-events on the WhatsApp leg (Meta: telephone-event/8000).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     event     |E|R| volume    |          duration             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
extension WebRTCLegEngine {
    static let digits: [Character] = Array("0123456789*#ABCD")
    /// Event clock ticks per 20 ms packet at 8 kHz.
    static let eventTicksPerFrame = 160

    func queueDTMF(_ digit: Character, durationMs: Int) {
        guard Self.digits.contains(digit) else { return }
        media.dtmfQueue.append((digit, max(40, min(durationMs, 5000))))
    }

    /// The next event packet in `media.packet` (header + 4 bytes), or nil when no
    /// digit is playing. An event's packets share its first timestamp; the
    /// duration grows by 20 ms per packet; the end packet is sent three times
    /// (RFC 4733 §2.5.1.4). Queued digits go first; then events relayed live
    /// from the encoded port, which grow until their source ends them.
    func nextEventPacket() -> Int? {
        guard let payloadType = media.eventPayloadType else { return nil }
        if media.currentEvent == nil { startNextEvent() }
        guard var event = media.currentEvent else { return nil }
        if event.relayed, event.total == Int.max {
            let relayed = encodedPort?.relayedTelephoneEvent()
            if relayed?.ended ?? true {
                event.total = max(relayed?.duration ?? 0, event.elapsed, Self.eventTicksPerFrame)
            } else if event.elapsed >= Self.maximumEventTicks {
                event.total = event.elapsed
            }
        }
        event.elapsed = min(event.elapsed + Self.eventTicksPerFrame, event.total)
        let ending = event.elapsed >= event.total
        if ending { event.endsSent += 1 }
        let header = RTPHeader(marker: event.elapsed == Self.eventTicksPerFrame, payloadType: payloadType,
                               sequenceNumber: media.sequence, timestamp: event.startTimestamp, ssrc: media.ssrc)
        let packet = buffers.outbound
        header.write(to: packet)
        packet[12] = event.code
        packet[13] = (ending ? 0x80 : 0) | 10  // E bit, volume -10 dBm0
        packet[14] = UInt8(truncatingIfNeeded: event.elapsed >> 8)
        packet[15] = UInt8(truncatingIfNeeded: event.elapsed)
        media.sequence &+= 1
        if event.endsSent >= 3 {
            media.currentEvent = nil
            if event.relayed { encodedPort?.finishedRelayedTelephoneEvent() }
        } else {
            media.currentEvent = event
        }
        return RTPHeader.size + 4
    }

    /// The longest event, in ticks (the 16-bit duration field's range, RFC 4733 §2.5.2.3).
    static let maximumEventTicks = 40_000

    private func startNextEvent() {
        if !media.dtmfQueue.isEmpty {
            let next = media.dtmfQueue.removeFirst()
            let code = UInt8(Self.digits.firstIndex(of: next.digit) ?? 0)
            media.currentEvent = (code, media.timestamp, 0, next.durationMs * 8, 0, false)
        } else if let relayed = encodedPort?.relayedTelephoneEvent() {
            media.currentEvent = (relayed.code, media.timestamp, 0, Int.max, 0, true)
        }
    }

    /// Reports a digit once, on its first end packet.
    func receiveEvent(_ header: RTPHeader, _ payload: UnsafeRawBufferPointer) {
        encodedPort?.receivedTelephoneEvent(payload, timestamp: header.timestamp)
        guard payload.count >= 4, payload[1] & 0x80 != 0, media.lastEventTimestamp != header.timestamp else { return }
        media.lastEventTimestamp = header.timestamp
        let code = Int(payload[0])
        guard code < Self.digits.count else { return }
        let duration = Int(payload[2]) << 8 | Int(payload[3])
        setup.emit(.dtmf(Self.digits[code], durationMs: duration / 8))
    }
}
