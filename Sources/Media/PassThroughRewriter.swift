/// The numbering of an Opus stream forwarded without decoding (WhatsApp → an Opus SIP
/// phone, WhatsApp → a browser): the outgoing stream keeps its own SSRC, sequence numbers
/// and timestamps, and moves them by the incoming stream's distances, so the far end's
/// jitter buffer sees the real losses (and can use Opus in-band FEC) while the numbering
/// stays continuous across relays and events. RFC 4733 events are forwarded once per
/// packet of the newest event, at most three end packets, never for an older event.
///
/// Pure and allocation-free; the caller owns the outgoing counters (the SIP side shares
/// them with its PCM and event packets), the rewriter only moves them.
struct PassThroughRewriter {
    /// What to do with one incoming RFC 4733 payload.
    enum EventStep: Equatable {
        /// Not forwarded: an older event, or a fourth end packet.
        case drop
        /// Forwarded with `marker` (a new event) and the event's outgoing start timestamp;
        /// `newDigit` when this packet completes a digit for the first time.
        case forward(marker: Bool, start: UInt32, newDigit: Bool)
    }

    /// The last incoming sequence number followed, nil before the first packet.
    private(set) var lastSequence: UInt16?
    /// The last incoming timestamp followed.
    private(set) var lastTimestamp: UInt32 = 0
    /// The incoming SSRC, when the caller tracks it.
    private(set) var lastSSRC: UInt32?
    /// The incoming event being forwarded (its incoming timestamp), if any.
    private(set) var eventTimestamp: UInt32?
    /// That event's timestamp in the outgoing stream.
    private(set) var eventStart: UInt32 = 0
    /// End packets of that event forwarded so far.
    private(set) var eventEndsForwarded = 0

    /// Follows one in-order incoming audio packet (the leg drops late and duplicate
    /// ones first): `outSequence` moves by the sequence gap less one (the caller adds one
    /// when it sends) and `outTimestamp` by the timestamp distance. A new incoming SSRC
    /// (Meta moved the stream to another relay) restarts the mapping: no gap, one frame
    /// of `ticksPerFrame` on the timestamp, and the caller sets the marker bit.
    /// - Parameters:
    ///   - sequence: the incoming sequence number.
    ///   - timestamp: the incoming timestamp.
    ///   - ssrc: the incoming SSRC, if the caller tracks it.
    ///   - ticksPerFrame: the RTP ticks of one frame (960 for 20 ms Opus).
    ///   - outSequence: our next sequence number.
    ///   - outTimestamp: our current timestamp.
    /// - Returns: true when the incoming stream restarted (marker).
    mutating func follow(
        sequence: UInt16, timestamp: UInt32, ssrc: UInt32? = nil, ticksPerFrame: UInt32 = 960,
        outSequence: inout UInt16, outTimestamp: inout UInt32
    ) -> Bool {
        defer {
            lastSequence = sequence
            lastTimestamp = timestamp
            if let ssrc { lastSSRC = ssrc }
        }
        if let ssrc, let lastSSRC, ssrc != lastSSRC {
            outTimestamp &+= ticksPerFrame
            eventTimestamp = nil
            return true
        }
        guard let last = lastSequence else { return false }
        outSequence &+= (sequence &- last) &- 1
        outTimestamp &+= timestamp &- lastTimestamp
        return false
    }

    /// Decides about one incoming RFC 4733 payload.
    /// - Parameters:
    ///   - timestamp: the incoming event timestamp (the event's start).
    ///   - end: the payload's E bit.
    ///   - outTimestamp: our current timestamp (the start of a new event).
    /// - Returns: whether and how to forward it.
    mutating func event(timestamp: UInt32, end: Bool, outTimestamp: UInt32) -> EventStep {
        let marker: Bool
        if let current = eventTimestamp {
            let age = Int32(bitPattern: timestamp &- current)
            if age < 0 { return .drop }
            marker = age > 0
        } else {
            marker = true
        }
        var newDigit = false
        if marker {
            eventTimestamp = timestamp
            eventStart = outTimestamp
            eventEndsForwarded = 0
            newDigit = end
        } else if eventEndsForwarded >= 3 {
            return .drop
        }
        if end {
            if eventEndsForwarded == 0, !marker { newDigit = true }
            eventEndsForwarded += 1
        }
        return .forward(marker: marker, start: eventStart, newDigit: newDigit)
    }
}
