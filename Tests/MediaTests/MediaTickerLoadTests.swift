// The media clock: phases stay 2 ms apart when empty phases are skipped, and
// the loop's measured load follows the work its members do.

import NIOCore
import NIOPosix
import TestSupport
import Testing
@testable import Media

/// A ticker member that records its deadlines and can burn CPU on each tick.
private final class RecordingMember: MediaTicker.Member {
    var dues: [NIODeadline] = []
    let burn: TimeAmount
    let onTick: @Sendable (Int) -> Void

    init(burn: TimeAmount = .zero, onTick: @escaping @Sendable (Int) -> Void) {
        self.burn = burn
        self.onTick = onTick
    }

    func tick(due: NIODeadline) {
        dues.append(due)
        if burn > .zero {
            let until = NIODeadline.now() + burn
            while NIODeadline.now() < until {}
        }
        onTick(dues.count)
    }
}

@Suite("Media ticker and loop load")
struct MediaTickerLoadTests {
    @Test("two members on an otherwise empty ticker tick 2 ms apart, each every 20 ms")
    func phasesKeepTheirSpacing() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let loop = group.next()
        let (ticked, tick) = AsyncStream<Int>.makeStream()
        let pair = try await loop.submit { () -> NIOLoopBound<(RecordingMember, RecordingMember)> in
            let first = RecordingMember { _ in }
            let second = RecordingMember { count in tick.yield(count) }
            let ticker = MediaTicker.current(on: loop)
            ticker.add(first)
            ticker.add(second)
            return NIOLoopBound((first, second), eventLoop: loop)
        }.get()
        #expect(await ticked.first(within: .seconds(10)) { $0 >= 6 } != nil)
        let (first, second) = try await loop.submit { () -> ([NIODeadline], [NIODeadline]) in
            MediaTicker.current(on: loop).remove(pair.value.0)
            MediaTicker.current(on: loop).remove(pair.value.1)
            return (pair.value.0.dues, pair.value.1.dues)
        }.get()
        for index in 1..<6 {
            #expect(first[index] - first[index - 1] == .milliseconds(20))
            #expect(second[index] - second[index - 1] == .milliseconds(20))
            #expect(second[index] - first[index] == MediaTicker.step)
        }
    }

    @Test("a member burning 10 ms of every 20 ms makes a loaded loop; once it leaves the loop reads idle")
    func loadFollowsTheWork() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let loop = group.next()
        let load = MediaLoopLoad.of(loop)
        let (loads, report) = AsyncStream<Double>.makeStream()
        let member = try await loop.submit { () -> NIOLoopBound<RecordingMember> in
            let member = RecordingMember(burn: .milliseconds(10)) { _ in report.yield(load.admissionLoad) }
            MediaTicker.current(on: loop).add(member)
            return NIOLoopBound(member, eventLoop: loop)
        }.get()
        #expect(await loads.first(within: .seconds(10)) { $0 >= 0.3 } != nil)
        #expect(MediaLoopLoad.leastBusyRatio(in: loop) >= 0.3)
        try await loop.submit { MediaTicker.current(on: loop).remove(member.value) }.get()
        // The ticker stops at its next deadline, at most one period on; a task due after it runs after it.
        let after = try await loop.scheduleTask(in: .milliseconds(40)) { load.admissionLoad }.futureResult.get()
        #expect(after == 0)
    }
}
