/// A small jitter buffer of Opus payloads for pass-through (SIP → WhatsApp):
/// packets are kept by sequence number in eight preallocated slots and taken
/// one per 20 ms tick in order. A missing packet is skipped (the receiver's
/// FEC/PLC covers it); an empty queue yields Opus's 3-byte 20 ms silence
/// frame (TOC 0xF8: CELT fullband 20 ms, RFC 6716 §3.1) so WhatsApp keeps
/// receiving media, e.g. while the SIP side holds. More than four waiting
/// drops the oldest (delay stays under 80 ms). No allocation after `init`.
final class OpusPacketQueue {
    /// Slots (a power of two).
    static let slots = 8
    /// The largest payload kept (RFC 6716 §3.4: 1275 bytes plus the TOC).
    static let slotSize = 1_280
    /// Opus's 20 ms silence frame.
    static let silenceFrame: [UInt8] = [0xF8, 0xFF, 0xFE]

    /// Allocated on the first packet: transcoding calls never need it.
    private lazy var storage = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.slots * Self.slotSize, alignment: 16)
    private var allocated = false
    private var lengths = [Int](repeating: 0, count: slots)
    private var sequences = [UInt16](repeating: 0, count: slots)
    private var next: UInt16 = 0
    private var started = false
    /// Packets waiting.
    private(set) var count = 0
    /// Packets that came too late or were dropped for delay.
    private(set) var dropped = 0
    /// Ticks that found the next packet missing.
    private(set) var missing = 0

    deinit {
        if allocated { storage.deallocate() }
    }

    /// Forgets every packet.
    func reset() {
        for index in 0..<Self.slots { lengths[index] = 0 }
        count = 0
        started = false
    }

    /// Stores one payload.
    func insert(sequenceNumber: UInt16, payload: UnsafeRawBufferPointer) {
        guard payload.count > 0, payload.count <= Self.slotSize else { return }
        let ahead = Int16(bitPattern: sequenceNumber &- next)
        if !started || ahead >= Int16(Self.slots) * 4 || ahead < -Int16(Self.slots) * 4 {
            reset()
            started = true
            next = sequenceNumber
        } else if ahead < 0 {
            dropped += 1
            return
        }
        while Int16(bitPattern: sequenceNumber &- next) >= Int16(Self.slots) { skip() }
        let slot = Int(sequenceNumber) & (Self.slots - 1)
        allocated = true
        if lengths[slot] == 0 { count += 1 }
        lengths[slot] = payload.count
        sequences[slot] = sequenceNumber
        UnsafeMutableRawBufferPointer(rebasing: storage[(slot * Self.slotSize)..<(slot * Self.slotSize + payload.count)])
            .copyMemory(from: payload)
        while count > 4 { skip() }
    }

    /// Writes the next payload (or the silence frame) into `out`; returns its length.
    func take(into out: UnsafeMutableRawBufferPointer) -> Int {
        guard count > 0 else {
            return Self.silenceFrame.withUnsafeBytes { silence in
                out.copyMemory(from: silence)
                return silence.count
            }
        }
        let slot = Int(next) & (Self.slots - 1)
        let length = lengths[slot]
        next &+= 1
        guard length > 0, sequences[slot] == next &- 1 else {
            missing += 1  // the next one is missing but later ones wait: lose this tick, move on
            return 0
        }
        out.copyMemory(from: UnsafeRawBufferPointer(rebasing: storage[(slot * Self.slotSize)..<(slot * Self.slotSize + length)]))
        lengths[slot] = 0
        count -= 1
        return length
    }

    private func skip() {
        let slot = Int(next) & (Self.slots - 1)
        if lengths[slot] > 0, sequences[slot] == next {
            lengths[slot] = 0
            count -= 1
            dropped += 1
        }
        next &+= 1
    }
}
