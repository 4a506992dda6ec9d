/// Telephone events on their way to WhatsApp: RFC 4733 events relayed live
/// from the SIP leg and SIP INFO digits, in arrival order. The WebRTC leg
/// plays the head (polling its growing duration) and pops it when it has
/// sent the end.
///
/// Receiver rules (RFC 4733 §2.5.2): packets of one event share its RTP
/// timestamp; the duration only grows; the end packet (E bit) is repeated.
/// So an event is identified by its timestamp, updated only while it is the
/// newest, ended once (the first E, or a newer event, or 300 ms of silence),
/// and packets for older timestamps are ignored: a digit is never duplicated
/// or reordered. At most 16 events wait; no allocation after `init`.
struct TelephoneEventQueue {
    /// One queued event.
    struct Entry {
        var event = RelayedTelephoneEvent(code: 0, duration: 0, ended: true)
        var timestamp: UInt32 = 0
        var fromSIP = false
        var updatedAt: UInt64 = 0
    }

    /// What a SIP event packet did.
    enum Outcome: Equatable {
        /// Nothing new (a retransmission, an update, or an old event).
        case none
        /// An event ended: report it (code, duration in ticks).
        case ended(UInt8, Int)
    }

    static let capacity = 16
    /// An event with no packet for this long (ns) is ended by the relay.
    static let idleTimeout: UInt64 = 300_000_000
    private var entries = [Entry](repeating: Entry(), count: capacity)
    private var head = 0
    private(set) var count = 0
    private var newestSIPTimestamp: UInt32?

    /// The event to play now.
    mutating func current(now: UInt64) -> RelayedTelephoneEvent? {
        guard count > 0 else { return nil }
        if entries[head].fromSIP, !entries[head].event.ended, now &- entries[head].updatedAt > Self.idleTimeout {
            entries[head].event.ended = true
        }
        return entries[head].event
    }

    /// The head was played to its end.
    mutating func popHead() {
        guard count > 0 else { return }
        head = (head + 1) % Self.capacity
        count -= 1
    }

    /// Appends a SIP INFO digit (already ended, `duration` ticks).
    mutating func appendDigit(code: UInt8, duration: Int) {
        guard count < Self.capacity else { return }
        entries[(head + count) % Self.capacity] = Entry(
            event: RelayedTelephoneEvent(code: code, duration: duration, ended: true), timestamp: 0, fromSIP: false, updatedAt: 0)
        count += 1
    }

    /// Takes one RFC 4733 payload from the SIP leg (event code, E bit, duration at `timestamp`).
    mutating func receive(code: UInt8, end: Bool, duration: Int, timestamp: UInt32, now: UInt64) -> Outcome {
        if let newest = newestSIPTimestamp {
            let age = Int32(bitPattern: timestamp &- newest)
            if age < 0 { return .none }  // an older event's late packet
            if age == 0 { return update(end: end, duration: duration, timestamp: timestamp, now: now) }
        }
        // A new event: end the previous one if its end never came.
        var outcome = Outcome.none
        if count > 0, let tail = tailIndex, entries[tail].fromSIP, !entries[tail].event.ended {
            entries[tail].event.ended = true
            outcome = .ended(entries[tail].event.code, entries[tail].event.duration)
        }
        newestSIPTimestamp = timestamp
        guard count < Self.capacity else { return outcome }
        entries[(head + count) % Self.capacity] = Entry(
            event: RelayedTelephoneEvent(code: code, duration: duration, ended: end), timestamp: timestamp, fromSIP: true, updatedAt: now)
        count += 1
        if end, outcome == .none { return .ended(code, duration) }
        return outcome
    }

    private var tailIndex: Int? {
        count > 0 ? (head + count - 1) % Self.capacity : nil
    }

    private mutating func update(end: Bool, duration: Int, timestamp: UInt32, now: UInt64) -> Outcome {
        guard let tail = tailIndex, entries[tail].fromSIP, entries[tail].timestamp == timestamp,
              !entries[tail].event.ended else { return .none }
        entries[tail].event.duration = max(entries[tail].event.duration, duration)
        entries[tail].updatedAt = now
        guard end else { return .none }
        entries[tail].event.ended = true
        return .ended(entries[tail].event.code, entries[tail].event.duration)
    }
}
