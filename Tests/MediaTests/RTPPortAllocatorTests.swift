import Media
import Testing

/// `RTPPortAllocator`: random even ports, quarantine after release, bounded work.
@Suite struct RTPPortAllocatorTests {
    @Test func portsAreEvenInRangeAndUnique() {
        let allocator = RTPPortAllocator(range: 10_001...10_100)
        var seen: Set<Int> = []
        while let port = allocator.allocate() {
            #expect(port % 2 == 0 && (10_002...10_100).contains(port))
            #expect(seen.insert(port).inserted)
        }
        #expect(seen.count == allocator.capacity)
        #expect(allocator.allocatedCount == allocator.capacity)
    }

    @Test func consecutiveAllocationsAreNotPredictable() {
        let allocator = RTPPortAllocator(range: 20_000...29_998)
        let ports = (0..<200).compactMap { _ in allocator.allocate() }
        let steps = zip(ports, ports.dropFirst()).map { $1 - $0 }
        // Round-robin would give +2 every time.
        #expect(steps.filter { $0 == 2 }.count < 5)
        #expect(Set(steps).count > 150)
    }

    @Test func choicesSpreadOverTheWholeRange() {
        let allocator = RTPPortAllocator(range: 30_000...30_398)  // 200 ports, 4 quarters of 50
        var quarters = [0, 0, 0, 0]
        for _ in 0..<4_000 {
            guard let port = allocator.allocate() else { Issue.record("exhausted"); return }
            quarters[(port - 30_000) / 100] += 1
            allocator.release(port)
        }
        // Uniform would be 1000 each.
        #expect(quarters.allSatisfy { (700...1_300).contains($0) }, "\(quarters)")
    }

    @Test func aReleasedPortIsNotHandedOutAtOnce() {
        let allocator = RTPPortAllocator(range: 40_000...40_398)
        for _ in 0..<500 {
            guard let port = allocator.allocate() else { Issue.record("exhausted"); return }
            allocator.release(port)
            let next = (0..<10).compactMap { _ in allocator.allocate() }
            #expect(!next.contains(port))
            next.forEach(allocator.release)
        }
    }

    @Test func exhaustionThenReleaseAndDoubleRelease() {
        let allocator = RTPPortAllocator(range: 50_000...50_006)
        let ports = (0..<4).compactMap { _ in allocator.allocate() }
        #expect(ports.count == 4 && allocator.allocate() == nil)
        allocator.release(ports[0])
        allocator.release(ports[0])
        allocator.release(12)
        #expect(allocator.allocatedCount == 3)
        #expect(allocator.allocate() == ports[0])  // the only one left, even from quarantine
        #expect(allocator.allocate() == nil)
    }
}
