/// An adaptive jitter buffer for the SIP → WhatsApp direction, for codecs that
/// carry one byte per 8 kHz RTP tick (G.711: one sample per byte; G.722: two
/// 16 kHz samples per byte, RFC 3551 §4.5.2). Packets of any ptime are stored
/// by RTP timestamp in a ring of bytes; the reader takes 20 ms (160 ticks) per
/// WhatsApp frame, so any SIP ptime is reframed to Opus's 20 ms here.
///
/// Adaptation, measured on each packet's margin (its timestamp minus the
/// playout point when it arrives):
/// - a packet that arrives after its time raises the delay by its lateness
///   (rounded up to 20 ms, at most `maximumDelay`): the reader inserts that
///   much concealment before consuming more;
/// - when every packet of the last second arrived at least 20 ms early and
///   the delay is above `minimumDelay`, the reader drops 10 ms.
/// A jump of more than the ring (new SSRC, timestamp reset) restarts it, and so
/// does a packet later than the maximum delay can absorb (the stream is followed
/// again at once instead of being dropped until the next restart).
///
/// Pure bookkeeping on preallocated memory: no I/O, no clock, nothing
/// allocated per packet. Owned by one bridge on its event loop.
final class JitterBuffer {
    /// What a read found in each 10 ms block of the frame.
    struct Read {
        /// Bit `i` set: block `i` (ticks `80·i ..< 80·(i+1)`) is complete in the output.
        var presentBlocks: UInt8
        /// True when the reader should conceal without consuming (delay grows).
        var stretched: Bool
        /// True before the first packet.
        var idle: Bool
    }

    /// Ticks per 10 ms block.
    static let blockTicks = 80
    /// Ticks per 20 ms frame.
    static let frameTicks = 160

    let minimumDelay: Int
    let maximumDelay: Int
    private let capacity: Int
    private let mask: Int
    private let bytes: UnsafeMutableBufferPointer<UInt8>
    private let present: UnsafeMutableBufferPointer<UInt8>
    private var started = false
    private var ssrc: UInt32 = 0
    private var playout: UInt32 = 0
    /// The timestamp just past the newest packet stored.
    private var newestEnd: UInt32 = 0
    private var stretchTicks = 0
    private var skipTicks = 0
    private var windowMinimumMargin = Int.max
    private var windowFrames = 0
    /// The target delay, ticks.
    private(set) var targetDelay: Int
    /// Packets that came after their playout time.
    private(set) var latePackets = 0

    /// A buffer holding `minimumDelay...maximumDelay` ticks (8 kHz) of delay.
    init(minimumDelay: Int, maximumDelay: Int) {
        self.minimumDelay = max(0, minimumDelay)
        self.maximumDelay = max(self.minimumDelay, maximumDelay)
        var size = 1024
        while size < self.maximumDelay + 4 * Self.frameTicks + 800 { size *= 2 }
        capacity = size
        mask = size - 1
        bytes = .allocate(capacity: size)
        bytes.initialize(repeating: 0)
        present = .allocate(capacity: size)
        present.initialize(repeating: 0)
        targetDelay = self.minimumDelay
    }

    deinit {
        bytes.deallocate()
        present.deallocate()
    }

    /// The target delay in ms.
    var targetDelayMs: Double { Double(targetDelay) / 8 }

    /// Forgets everything (a new stream, or back from hold).
    func reset() {
        started = false
        stretchTicks = 0
        skipTicks = 0
        windowMinimumMargin = .max
        windowFrames = 0
        targetDelay = minimumDelay
        present.update(repeating: 0)
    }

    /// Stores one packet's payload at its timestamp.
    func insert(timestamp: UInt32, ssrc: UInt32, payload: UnsafeRawBufferPointer) {
        let count = min(payload.count, capacity / 2)
        guard count > 0 else { return }
        if !started || ssrc != self.ssrc || abs(Int(Int32(bitPattern: timestamp &- playout))) > capacity {
            restart(at: timestamp, ssrc: ssrc)
        }
        var margin = Int(Int32(bitPattern: timestamp &- playout))
        if margin + count > capacity - Self.frameTicks {  // far ahead: the sender's clock runs fast or it bursts
            let advance = margin + count - targetDelay - Self.frameTicks
            clear(from: playout, count: min(advance, capacity))
            playout &+= UInt32(advance)
            margin -= advance
        }
        if margin < 0, targetDelay >= maximumDelay, stretchTicks < -margin, Int32(bitPattern: timestamp &- newestEnd) >= 0 {
            // Later than the largest delay can absorb, and continuing the stream (the
            // sender stalled and resumed with contiguous timestamps, or the path's delay
            // stepped up): every packet from now on would be dropped, so re-anchor on
            // this one, as Asterisk's jitter buffer resynchronises past its threshold.
            // An old packet that comes late (a duplicate, a reordering) is only dropped.
            latePackets += 1
            stretchTicks = 0
            skipTicks = 0
            restart(at: timestamp, ssrc: ssrc)
            margin = targetDelay
        }
        if Int32(bitPattern: timestamp &+ UInt32(count) &- newestEnd) > 0 { newestEnd = timestamp &+ UInt32(count) }
        windowMinimumMargin = min(windowMinimumMargin, margin)
        if margin < 0 { noteLate(by: -margin) }
        for index in min(count, max(0, -margin))..<count {
            let slot = Int(timestamp &+ UInt32(index)) & mask
            bytes[slot] = payload[index]
            present[slot] = 1
        }
    }

    /// Takes the next 20 ms (160 ticks) into `out` (which holds 160 bytes).
    func read(into out: UnsafeMutableBufferPointer<UInt8>) -> Read {
        guard started else { return Read(presentBlocks: 0, stretched: false, idle: true) }
        if stretchTicks >= Self.frameTicks {
            stretchTicks -= Self.frameTicks
            return Read(presentBlocks: 0, stretched: true, idle: false)
        }
        adapt()
        if skipTicks > 0 {
            clear(from: playout, count: skipTicks)
            playout &+= UInt32(skipTicks)
            skipTicks = 0
        }
        var blocks: UInt8 = 0
        for block in 0..<(Self.frameTicks / Self.blockTicks) {
            var complete = true
            for tick in 0..<Self.blockTicks {
                let offset = block * Self.blockTicks + tick
                let slot = Int(playout &+ UInt32(offset)) & mask
                complete = complete && present[slot] != 0
                out[offset] = bytes[slot]
                present[slot] = 0
            }
            if complete { blocks |= 1 << block }
        }
        playout &+= UInt32(Self.frameTicks)
        return Read(presentBlocks: blocks, stretched: false, idle: false)
    }

    private func restart(at timestamp: UInt32, ssrc: UInt32) {
        present.update(repeating: 0)
        started = true
        self.ssrc = ssrc
        playout = timestamp &- UInt32(targetDelay)
        newestEnd = timestamp
        windowMinimumMargin = .max
        windowFrames = 0
    }

    private func noteLate(by ticks: Int) {
        latePackets += 1
        let wanted = min(maximumDelay, targetDelay + (ticks + Self.frameTicks - 1) / Self.frameTicks * Self.frameTicks)
        stretchTicks += wanted - targetDelay
        targetDelay = wanted
    }

    /// Once a second: shrink by 10 ms when every packet came at least 20 ms early.
    private func adapt() {
        windowFrames += 1
        guard windowFrames >= 50 else { return }
        if windowMinimumMargin != .max, windowMinimumMargin >= Self.frameTicks,
           targetDelay - Self.blockTicks >= minimumDelay {
            targetDelay -= Self.blockTicks
            skipTicks += Self.blockTicks
        }
        windowFrames = 0
        windowMinimumMargin = .max
    }

    private func clear(from start: UInt32, count: Int) {
        for index in 0..<max(0, min(count, capacity)) {
            present[Int(start &+ UInt32(index)) & mask] = 0
        }
    }
}
