import Testing
@testable import Media

/// The jitter buffer and the telephone-event queue as pure state, without sockets or clocks.
struct JitterBufferTests {
    func packet(_ value: UInt8, count: Int = 160) -> [UInt8] { [UInt8](repeating: value, count: count) }

    func read(_ buffer: JitterBuffer) -> (JitterBuffer.Read, [UInt8]) {
        var out = [UInt8](repeating: 0, count: 160)
        let result = out.withUnsafeMutableBufferPointer { buffer.read(into: $0) }
        return (result, out)
    }

    @Test func reframesFortyMillisecondPacketsIntoTwentyAfterThePreRoll() {
        let buffer = JitterBuffer(minimumDelay: 160, maximumDelay: 1600)
        packet(7, count: 320).withUnsafeBytes { buffer.insert(timestamp: 1000, ssrc: 1, payload: $0) }
        #expect(read(buffer).0.presentBlocks == 0)  // the 20 ms pre-roll
        let (first, bytes) = read(buffer)
        #expect(first.presentBlocks == 0b11 && bytes.allSatisfy { $0 == 7 })
        #expect(read(buffer).0.presentBlocks == 0b11)
        #expect(read(buffer).0.presentBlocks == 0)  // nothing more arrived
    }

    @Test func aLatePacketStretchesTheDelay() {
        let buffer = JitterBuffer(minimumDelay: 160, maximumDelay: 1600)
        packet(1).withUnsafeBytes { buffer.insert(timestamp: 0, ssrc: 1, payload: $0) }
        for _ in 0..<4 { _ = read(buffer) }
        packet(2).withUnsafeBytes { buffer.insert(timestamp: 160, ssrc: 1, payload: $0) }  // 40 ms late
        #expect(buffer.latePackets == 1 && buffer.targetDelay == 480)
        #expect(read(buffer).0.stretched)
    }

    @Test func lossShowsAsAMissingBlock() {
        let buffer = JitterBuffer(minimumDelay: 160, maximumDelay: 1600)
        packet(1, count: 80).withUnsafeBytes { buffer.insert(timestamp: 160, ssrc: 1, payload: $0) }
        _ = read(buffer)
        #expect(read(buffer).0.presentBlocks == 0b01)  // the second 10 ms packet never came
    }

    @Test func telephoneEventsAreDedupedAndOrdered() {
        var queue = TelephoneEventQueue()
        #expect(queue.receive(code: 1, end: false, duration: 160, timestamp: 100, now: 0) == .none)
        #expect(queue.receive(code: 1, end: false, duration: 320, timestamp: 100, now: 1) == .none)
        #expect(queue.receive(code: 1, end: true, duration: 480, timestamp: 100, now: 2) == .ended(1, 480))
        #expect(queue.receive(code: 1, end: true, duration: 480, timestamp: 100, now: 3) == .none)  // retransmitted end
        #expect(queue.receive(code: 2, end: true, duration: 800, timestamp: 50, now: 4) == .none)  // an older event
        #expect(queue.receive(code: 3, end: false, duration: 160, timestamp: 900, now: 5) == .none)
        #expect(queue.count == 2 && queue.current(now: 6)?.code == 1)
        queue.popHead()
        #expect(queue.current(now: 7) == RelayedTelephoneEvent(code: 3, duration: 160, ended: false))
        #expect(queue.current(now: 400_000_000)?.ended == true)  // its end never came
    }
}
