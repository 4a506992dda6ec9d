import NIOCore
import RTP

/// Opus and RFC 4733 forwarded into this leg as they arrive from another WebRTC leg
/// (WhatsApp → browser pass-through): nothing is decoded or encoded. Each packet gets
/// this leg's own SSRC (the one in its SDP), its sequence numbers and timestamps moved by
/// the incoming stream's distances (`PassThroughRewriter`), is protected with this leg's
/// SRTP session in the leg's preallocated buffer and written through its reused
/// `ByteBuffer`: no allocation and no lock per packet. The leg's 20 ms tick then sends
/// only RTCP (`forwardsOnArrival`), so the browser's NetEQ, the better jitter buffer,
/// sees WhatsApp's own timing.
extension WebRTCLegEngine {
    /// Forwards one Opus payload; false when it was not sent (no SRTP yet, no pair,
    /// too large, or the leg closed).
    /// - Parameters:
    ///   - payload: the Opus payload, unprotected.
    ///   - sequenceNumber: its incoming sequence number.
    ///   - timestamp: its incoming timestamp.
    ///   - ssrc: its incoming SSRC (a change restarts the numbering with the marker bit).
    @discardableResult
    func forwardOpus(_ payload: UnsafeRawBufferPointer, sequenceNumber: UInt16, timestamp: UInt32, ssrc: UInt32? = nil) -> Bool {
        // Locals: two inout accesses to `media` (a class's stored property) would overlap.
        var sequence = media.sequence, outTimestamp = media.timestamp
        let restarted = forwarding.follow(
            sequence: sequenceNumber, timestamp: timestamp, ssrc: ssrc, ticksPerFrame: media.ticksPerFrame,
            outSequence: &sequence, outTimestamp: &outTimestamp)
        media.sequence = sequence
        media.timestamp = outTimestamp
        defer { media.sequence &+= 1 }
        guard payload.count <= 1400 else { return false }
        let header = RTPHeader(marker: restarted, payloadType: media.audioPayloadType, sequenceNumber: media.sequence,
                               timestamp: media.timestamp, ssrc: media.ssrc)
        return sendForwarded(header: header, payload: payload)
    }

    /// Forwards one RFC 4733 payload from the other leg (newest event only, at most
    /// three end packets), on this leg's telephone-event payload type.
    /// - Parameters:
    ///   - payload: the 4-byte event payload.
    ///   - timestamp: the incoming event timestamp.
    /// - Returns: whether the payload completed a digit for the first time.
    @discardableResult
    func forwardTelephoneEvent(_ payload: UnsafeRawBufferPointer, timestamp: UInt32) -> Bool {
        guard payload.count >= 4, let eventType = media.eventPayloadType else { return false }
        guard case .forward(let marker, let start, let newDigit) = forwarding.event(
            timestamp: timestamp, end: payload[1] & 0x80 != 0, outTimestamp: media.timestamp) else { return false }
        let header = RTPHeader(marker: marker, payloadType: eventType, sequenceNumber: media.sequence, timestamp: start, ssrc: media.ssrc)
        media.sequence &+= 1
        sendForwarded(header: header, payload: UnsafeRawBufferPointer(rebasing: payload[0..<4]))
        return newDigit
    }

    @discardableResult
    private func sendForwarded(header: RTPHeader, payload: UnsafeRawBufferPointer) -> Bool {
        guard !finished, let srtp, let address = remoteAddress else { return false }
        header.write(to: buffers.outbound)
        let length = RTPHeader.size + payload.count
        UnsafeMutableRawBufferPointer(rebasing: buffers.outbound[RTPHeader.size..<length]).copyMemory(from: payload)
        guard let protected = try? srtp.protectRTP(buffers.outbound, length: length), protected > 0 else { return false }
        writePacket(length: protected, to: address)
        statistics.packetsSent += 1
        rtcp.send.record(payloadSize: payload.count, rtpTimestamp: media.timestamp, at: Self.ntpNow())
        return true
    }
}
