import Foundation
import NIOCore

/// Pins the calling thread to one CPU (Linux `sched_setaffinity` on thread id 0 = the caller),
/// so the bridge thread and the load generator do not share a core or migrate during a window.
/// Returns false (and the thread stays unpinned) when the CPU does not exist or the call fails.
/// glibc declares the call only under `_GNU_SOURCE`, which Swift's Glibc module does not set:
/// it is looked up by name instead.
@discardableResult
func pinCurrentThread(toCPU cpu: Int) -> Bool {
    typealias SetAffinity = @convention(c) (pid_t, Int, UnsafeRawPointer) -> Int32
    var set = cpu_set_t()
    let size = MemoryLayout<cpu_set_t>.size
    guard cpu >= 0, cpu < size * 8, let symbol = dlsym(nil, "sched_setaffinity") else { return false }
    withUnsafeMutableBytes(of: &set) { raw in
        raw[cpu / 8] |= UInt8(1) << UInt8(cpu % 8)
    }
    let setAffinity = unsafeBitCast(symbol, to: SetAffinity.self)
    return withUnsafeBytes(of: &set) { setAffinity(0, size, $0.baseAddress!) } == 0
}

/// Runs `pinCurrentThread` on an event loop's own thread.
func pin(_ loop: any EventLoop, toCPU cpu: Int) async throws -> Bool {
    try await loop.submit { pinCurrentThread(toCPU: cpu) }.get()
}

/// Run on the bridge thread inside a callgrind window. Its symbol (`…18bridgeThreadMarker…`) names that
/// thread in `valgrind --tool=callgrind --separate-threads=yes` output, whose thread numbers are
/// valgrind's own: `bench/60-webphone-cpu.sh` takes the per-thread file that mentions it.
@inline(never)
func bridgeThreadMarker() -> Int32 {
    Int32(truncatingIfNeeded: getpid())
}

/// Waits until `flowing()` holds, checking every 100 ms, for at most `seconds`: natively media flows
/// within the set-up pause already; under valgrind ICE and DTLS take seconds, and a window that
/// started before media flowed would measure set-up rather than calls.
func waitUntilFlowing(atMost seconds: Int = 90, _ flowing: () async throws -> Bool) async throws {
    let end = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < end, try await !flowing() {
        try await Task.sleep(for: .milliseconds(100))
    }
}

/// Marks the start of a measuring window for callgrind on the bridge thread: there it calls the
/// `wagate_bench_callgrind_toggle` that `bench/valgrind/bench_shim.c` provides when preloaded
/// (nothing happens otherwise; callgrind's collection state is per thread, so with
/// `--collect-atstart=no` only the bridge thread's window is counted), and `bridgeThreadMarker`,
/// so that thread's callgrind file names it.
func startCallgrindWindow(bridgeLoop: any EventLoop) async throws {
    guard callgrindToggle() != nil else { return }
    _ = try await bridgeLoop.submit {
        callgrindToggle()?()
        return bridgeThreadMarker()
    }.get()
}

/// Marks the end of the window `startCallgrindWindow` opened.
func endCallgrindWindow(bridgeLoop: any EventLoop) async throws {
    guard callgrindToggle() != nil else { return }
    try await bridgeLoop.submit { callgrindToggle()?() }.get()
}

private func callgrindToggle() -> (@convention(c) () -> Void)? {
    guard let symbol = dlsym(nil, "wagate_bench_callgrind_toggle") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) () -> Void).self)
}
