import Testing
@testable import Media

/// The jitter buffer over a simulated timeline: packets of any ptime arrive
/// when their timestamp is due, one 20 ms read per frame, so reframing and
/// recovery are checked byte for byte with no sockets and no real time.
struct JitterBufferTimelineTests {
    /// A stream whose byte `i` is `i % 251`, so any lost, doubled or shifted byte shows.
    func payload(from tick: Int, count: Int) -> [UInt8] { (tick..<(tick + count)).map { UInt8($0 % 251) } }

    /// Reads one frame, returning its blocks and bytes.
    func read(_ buffer: JitterBuffer) -> (JitterBuffer.Read, [UInt8]) {
        var out = [UInt8](repeating: 0, count: JitterBuffer.frameTicks)
        let result = out.withUnsafeMutableBufferPointer { buffer.read(into: $0) }
        return (result, out)
    }

    @Test(arguments: [10, 20, 30, 40, 60])
    func anyPtimeIsReframedIntoContinuousTwentyMillisecondFrames(ptime: Int) {
        let buffer = JitterBuffer(minimumDelay: 160, maximumDelay: 1600)
        let packetTicks = ptime * 8
        var sent = 0, played: [UInt8] = [], complete = 0
        for frame in 0..<150 {  // three seconds: packets due by this frame's end go in, then the frame is read
            while sent + packetTicks <= (frame + 1) * JitterBuffer.frameTicks {
                payload(from: sent, count: packetTicks).withUnsafeBytes { buffer.insert(timestamp: UInt32(sent), ssrc: 7, payload: $0) }
                sent += packetTicks
            }
            let (result, bytes) = read(buffer)
            if result.presentBlocks == 0b11 { played += bytes; complete += 1 } else { #expect(played.isEmpty, "a gap at frame \(frame)") }
        }
        #expect(complete >= 140, "\(complete) complete frames of 150")
        let first = Int(played.first ?? 0)
        #expect(played.enumerated().allSatisfy { Int($0.element) == ($0.offset + first) % 251 }, "the bytes play in order, none lost")
        #expect(buffer.latePackets == 0)
    }

    @Test func aSenderThatFallsFurtherBehindThanTheMaximumDelayIsFollowedAgain() {
        // A phone whose sender stalls for 400 ms and resumes with contiguous
        // timestamps: every packet after the stall is later than the largest
        // delay. The buffer re-anchors on the stream instead of dropping it all.
        let buffer = JitterBuffer(minimumDelay: 160, maximumDelay: 1600)
        var sent = 0, recovered = 0
        for frame in 0..<200 {
            let stalled = (50..<70).contains(frame)
            if !stalled {
                payload(from: sent, count: 160).withUnsafeBytes { buffer.insert(timestamp: UInt32(sent), ssrc: 7, payload: $0) }
                sent += 160
            }
            let (result, bytes) = read(buffer)
            if frame >= 150, result.presentBlocks == 0b11, bytes == payload(from: Int(bytes[0]), count: bytes.count) {
                recovered += 1
            }
        }
        #expect(recovered >= 45, "\(recovered) complete frames of the last 50")
    }

    @Test func anOldPacketComingLateAtTheMaximumDelayIsDroppedWithoutReanchoring() {
        let buffer = JitterBuffer(minimumDelay: 160, maximumDelay: 320)
        var sent = 0, played: [UInt8] = []
        for frame in 0..<100 {
            payload(from: sent, count: 160).withUnsafeBytes { buffer.insert(timestamp: UInt32(sent), ssrc: 7, payload: $0) }
            sent += 160
            if frame == 10 { for _ in 0..<2 { _ = read(buffer) } }  // the reader runs ahead: the delay grows to its maximum
            if frame == 60 {  // a duplicate of a packet from 60 ms ago
                payload(from: sent - 480, count: 160).withUnsafeBytes { buffer.insert(timestamp: UInt32(sent - 480), ssrc: 7, payload: $0) }
            }
            let (result, bytes) = read(buffer)
            if frame >= 40, result.presentBlocks == 0b11 { played += bytes }
        }
        #expect(played.count == 60 * 160, "\(played.count / 160) complete frames of the last 60")
        let first = Int(played.first ?? 0)
        #expect(played.enumerated().allSatisfy { Int($0.element) == ($0.offset + first) % 251 }, "played in order, nothing repeated")
    }
}
