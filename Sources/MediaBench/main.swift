// MediaBench: calls per core of the media bridge (make bench).
// Synthetic calls on 127.0.0.1 only: PCMU RTP into the SIP legs, SRTP Opus
// between the WhatsApp legs and simulated users. The bridges run on one event
// loop thread (one core); the peers on another. The ladder grows until a frame
// is late (≥ 20 ms behind its tick) or lost (over 0.1 %), or a time budget ends.
import Codecs
import Foundation
import Logging
import Media
import NIOPosix

let arguments = CommandLine.arguments
let budget = Double(arguments.first { $0.hasPrefix("--budget=") }?.dropFirst(9) ?? "") ?? 200
let window = Double(arguments.first { $0.hasPrefix("--window=") }?.dropFirst(9) ?? "") ?? 3
let started = ContinuousClock.now
func elapsed() -> Double { Double((ContinuousClock.now - started).components.seconds) }

var logger = Logger(label: "media-bench")
logger.logLevel = .critical

/// Precomputed payloads: a 1 kHz PCMU tone (20 periods per packet: seamless) and Opus packets.
func opusPayload(sampleRate: Int) throws -> [UInt8] {
    let encoder = try OpusEncoder(sampleRate: sampleRate)
    let tone = TonePort(frequency: 600, sampleRate: sampleRate)
    var pcm = [Int16](repeating: 0, count: sampleRate / 50)
    var out = [UInt8](repeating: 0, count: OpusEncoder.maxPacketSize)
    var length = 0
    for _ in 0..<10 {
        pcm.withUnsafeMutableBufferPointer { tone.nextFrame($0) }
        length = try pcm.withUnsafeBufferPointer { p in try out.withUnsafeMutableBytes { try encoder.encode(pcm: p, into: $0) } }
    }
    return Array(out.prefix(length))
}
let law = try G711Codec(.ulaw)
let tone = (0..<160).map { Int16(8000 * sin(2 * Double.pi * 1000 * Double($0) / 8000)) }
var pcmu = [UInt8](repeating: 0, count: 160)
_ = tone.withUnsafeBufferPointer { p in pcmu.withUnsafeMutableBufferPointer { law.encode(p, into: $0) } }
let userOpus = try opusPayload(sampleRate: 8_000)
let sipOpus = try opusPayload(sampleRate: 48_000)

let bridgeGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
let peerGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
let allocator = RTPPortAllocator(range: 20_000...39_998)

@MainActor func makeRun(passThrough: Bool) -> LoadRun {
    LoadRun(bridgeGroup: bridgeGroup, peerGroup: peerGroup, allocator: allocator, logger: logger,
            passThrough: passThrough, sipPayload: passThrough ? sipOpus : pcmu, userPayload: userOpus, window: window)
}

@MainActor func report(_ label: String, _ calls: Int, _ result: LoadRun.Result) {
    print(String(format: "  %@ %5d calls: %@  cpu %6.0f µs/call/s (%3.0f calls/core)  p50 %5.0f µs  p99 %6.0f µs  loss %.3f%%  late %.3f%%  delivered %.1f%%  %.0f KB/call",
                 label, calls, result.ok ? "ok  " : "FAIL", result.cpuMicrosecondsPerCallSecond, result.callsPerCoreByCPU, result.p50, result.p99,
                 result.lossFraction * 100, result.lateFraction * 100, result.deliveredRatio * 100, result.memoryPerCallKB))
}

@MainActor func ladder(_ steps: [Int], passThrough: Bool, label: String) async throws -> (best: LoadRun.Result?, all: [LoadRun.Result]) {
    let run = makeRun(passThrough: passThrough)
    var best: LoadRun.Result?
    var all: [LoadRun.Result] = []
    for calls in steps {
        guard elapsed() < budget else {
            print("  (time budget reached)")
            break
        }
        let result = try await run.run(calls: calls)
        all.append(result)
        report(label, calls, result)
        if result.ok { best = result } else { break }
        try await Task.sleep(for: .milliseconds(500))
    }
    return (best, all)
}

// `--fixed=N[:pass]`: one run of N calls for the whole window (for profiling), then exit.
if let fixed = arguments.first(where: { $0.hasPrefix("--fixed=") })?.dropFirst(8) {
    let parts = fixed.split(separator: ":")
    let calls = Int(parts[0]) ?? 100
    let mode = parts.count > 1 ? String(parts[1]) : "transcoded"
    var run = makeRun(passThrough: mode == "pass")
    run.whatsAppG711 = mode == "g711"
    let result = try await run.run(calls: calls)
    report(mode, calls, result)
    exit(0)
}
// `--mode=browser [--calls=N]`: the three kinds of call at the same load, one after the
// other (PCMU phone ⇄ WhatsApp transcoded, Opus phone ⇄ WhatsApp and browser ⇄ WhatsApp
// passed through), bridge-thread CPU per call-second and calls per core; then exit.
if arguments.contains("--mode=browser") {
    let calls = Int(arguments.first { $0.hasPrefix("--calls=") }?.dropFirst(8) ?? "") ?? 100
    try await compareBrowser(calls: calls)
    exit(0)
}

// `--mode=overload [--calls=N] [--max-busy=P]`: N calls offered beyond capacity at 48 kHz,
// complexity 10, without and with admission by measured loop load; then exit.
if arguments.contains("--mode=overload") {
    try await compareOverload()
    exit(0)
}

// `--mode=cpu [--kinds=pcmu,opus,browser] [--calls=N] [--repeat=R] [--pin=BRIDGE,PEERS]`: the kinds
// interleaved R times at N calls, bridge-thread CPU per call-second as median/min/max; then exit.
if arguments.contains("--mode=cpu") {
    try await compareCPU()
    exit(0)
}

@MainActor func compareCPU() async throws {
    func value(_ name: String) -> String? { arguments.first { $0.hasPrefix("--\(name)=") }.map { String($0.dropFirst(name.count + 3)) } }
    let kinds = (value("kinds") ?? "pcmu,opus,browser").split(separator: ",").compactMap { CPUComparison.Kind(rawValue: String($0)) }
    if let pins = value("pin")?.split(separator: ",").compactMap({ Int($0) }), pins.count == 2 {
        let bridgePinned = try await pin(bridgeGroup.next(), toCPU: pins[0])
        let peersPinned = try await pin(peerGroup.next(), toCPU: pins[1])
        print("pinning: bridge thread → CPU \(pins[0]) (\(bridgePinned ? "ok" : "failed")), peers → CPU \(pins[1]) (\(peersPinned ? "ok" : "failed"))")
    }
    let browserRun = BrowserLoadRun(bridgeGroup: bridgeGroup, peerGroup: peerGroup, allocator: allocator, logger: logger,
                                    payload: sipOpus, window: window)
    let comparison = CPUComparison(kinds: kinds, calls: Int(value("calls") ?? "") ?? 100, repetitions: Int(value("repeat") ?? "") ?? 5) { kind, calls in
        switch kind {
        case .browser:
            let result = try await browserRun.run(calls: calls)
            return CPUComparison.Sample(cpu: result.cpu, loss: result.lossFraction, packetsTotal: result.packetsTotal,
                                        packetsInWindow: result.received, cpuInWindow: result.cpuInWindow)
        case .pcmu, .opus:
            let result = try await makeRun(passThrough: kind == .opus).run(calls: calls)
            return CPUComparison.Sample(cpu: result.cpuMicrosecondsPerCallSecond, loss: result.lossFraction,
                                        packetsTotal: result.packetsTotal, packetsInWindow: result.packetsInWindow,
                                        opusFramesInWindow: result.opusFramesInWindow, cpuInWindow: result.cpuMicrosecondsInWindow)
        }
    }
    print(String(format: "cpu comparison: %@ × %d calls, %.0f s window, bridges on one thread", kinds.map(\.rawValue).joined(separator: ","), comparison.calls, window))
    try await comparison.run()
}

@MainActor func compareBrowser(calls: Int) async throws {
    print(String(format: "browser comparison: %d calls of each kind, %.0f s window, bridges on one thread", calls, window))
    func line(_ label: String, _ cpu: Double, _ loss: Double, _ extra: String) {
        print(String(format: "  %-34@ cpu %6.0f µs/call/s  %6.0f calls/core  loss %.3f%%  %@", label, cpu, 1_000_000 / cpu, loss * 100, extra))
    }
    let pcmu = try await makeRun(passThrough: false).run(calls: calls)
    line("PCMU phone ⇄ WhatsApp (transcoded)", pcmu.cpuMicrosecondsPerCallSecond, pcmu.lossFraction, "")
    let opus = try await makeRun(passThrough: true).run(calls: calls)
    line("Opus phone ⇄ WhatsApp (pass)", opus.cpuMicrosecondsPerCallSecond, opus.lossFraction, "")
    let browserRun = BrowserLoadRun(bridgeGroup: bridgeGroup, peerGroup: peerGroup, allocator: allocator, logger: logger,
                                    payload: sipOpus, window: window)
    let browser = try await browserRun.run(calls: calls)
    line("browser ⇄ WhatsApp (pass)", browser.cpu, browser.lossFraction, "opus frames coded: \(browser.opusFrames)")
    print(String(format: "  browser ⇄ WhatsApp costs %.2f× a PCMU phone call and %.2f× an Opus phone call",
                 browser.cpu / pcmu.cpuMicrosecondsPerCallSecond, browser.cpu / opus.cpuMicrosecondsPerCallSecond))
}

print("media bench: codec ceilings (opus_encode + opus_decode + G.711 both ways per call per 20 ms, no I/O)…")
let ceiling = try CodecCeiling.measure(sampleRate: 8_000, complexity: 5, bitrate: 24_000)
let heavy = try CodecCeiling.measure(sampleRate: 48_000, complexity: 10, bitrate: 24_000, frames: 500)
// The same loop cycling through 150 encoder/decoder pairs: what libopus costs once
// many calls' state competes for the CPU caches, as it does inside a loaded bridge.
let ceilingMany = try CodecCeiling.measure(sampleRate: 8_000, complexity: 5, bitrate: 24_000, frames: 3_000, instances: 150)

let ceilingCalls = Int(ceiling.callsPerCore)
let transcodedSteps = [0.25, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1].map { max(10, Int(Double(ceilingCalls) * $0)) }
print(String(format: "ceiling: %.1f µs per call per 20 ms → %d calls/core; transcoded ladder %@", ceiling.microsecondsPerFrame,
             ceilingCalls, transcodedSteps.description))
_ = try await makeRun(passThrough: false).run(calls: 10)  // warm-up: one-time allocations stay out of the per-call memory
let memory = try await makeRun(passThrough: false).measureMemory(calls: 100)
print(String(format: "  memory: %.0f KB per bridged call with its peers, %.0f KB per bare WebRTC leg pair → bridge ≈ %.0f KB",
             memory.call, memory.legPair, memory.bridge))
let transcoded = try await ladder(transcodedSteps, passThrough: false, label: "transcoded")
var heavyRun = makeRun(passThrough: false)
heavyRun.sampleRate = 48_000
heavyRun.complexity = 10
let heavyCalls = max(10, Int(heavy.callsPerCore * 0.4))
let heavyLoad = try await heavyRun.run(calls: heavyCalls)
report("heavy 48k/c10", heavyCalls, heavyLoad)
let passThrough = try await ladder([250, 500, 750, 1_000], passThrough: true, label: "pass-through")
@MainActor func g711Ladder(_ steps: [Int]) async throws -> LoadRun.Result? {
    var run = makeRun(passThrough: false)
    run.whatsAppG711 = true
    var best: LoadRun.Result?
    for calls in steps {
        guard elapsed() < budget + 60 else { break }
        let result = try await run.run(calls: calls)
        report("G.711 both legs", calls, result)
        if result.ok { best = result } else { break }
        try await Task.sleep(for: .milliseconds(500))
    }
    return best
}
let g711 = try await g711Ladder([100, 200, 300, 400, 500])
try await bridgeGroup.shutdownGracefully()
try await peerGroup.shutdownGracefully()

let best = transcoded.best
let rtpengine = 60.0
func cell(_ value: Double?, _ format: String) -> String { value.map { String(format: format, $0) } ?? "n/a" }
let rows: [(String, String, String)] = [
    ("transcoded PCMU⇄Opus calls per core (8 kHz, c5, 24 kbit/s)", "\(best?.calls ?? 0)",
     String(format: "≥ %.0f (4× rtpengine's ~60); ≥ %.0f (80%% of ceiling)", 4 * rtpengine, 0.8 * ceiling.callsPerCore)),
    ("  share of the libopus-only ceiling", cell(best.map { 100 * Double($0.calls) / ceiling.callsPerCore }, "%.0f %%"), "≥ 80 %"),
    ("  × rtpengine (~60 calls/core)", cell(best.map { Double($0.calls) / rtpengine }, "%.1f×"), "≥ 4×"),
    ("libopus-only ceiling, same settings", String(format: "%.0f calls/core (%.1f µs/call/20 ms)", ceiling.callsPerCore, ceiling.microsecondsPerFrame), "—"),
    ("  the same loop over 150 codec pairs (caches as in a loaded bridge)",
     String(format: "%.0f calls/core (%.1f µs/call/20 ms)", ceilingMany.callsPerCore, ceilingMany.microsecondsPerFrame), "—"),
    ("  share of that ceiling", cell(best.map { 100 * Double($0.calls) / ceilingMany.callsPerCore }, "%.0f %%"), "—"),
    ("heavy reference: 48 kHz, complexity 10", String(format: "%.0f calls/core (%.1f µs/call/20 ms)", heavy.callsPerCore, heavy.microsecondsPerFrame),
     "~55 calls/core (360 µs)"),
    ("  calls per core from CPU cost (1 s ÷ CPU per call-second)", cell(best?.callsPerCoreByCPU, "%.0f"), "—"),
    ("CPU per call", cell(best?.cpuMicrosecondsPerCallSecond, "%.0f µs per call-second"), "—"),
    ("heavy reference through the bridge (48 kHz/c10 Opus leg, G.711 resampled ×6)",
     String(format: "%.0f µs per call-second → %.0f calls/core", heavyLoad.cpuMicrosecondsPerCallSecond, heavyLoad.callsPerCoreByCPU), "—"),
    ("added latency per frame p50 / p99 (excl. jitter buffer)",
     best.map { String(format: "%.0f / %.0f µs", $0.p50, $0.p99) } ?? "n/a", "p99 ≤ 5 ms (rtpengine: 60–90 ms p99)"),
    ("memory per call: the bridge (both legs' state, buffers, sockets)", String(format: "%.0f KB", memory.bridge), "≤ 256 KB"),
    ("  (bridged call with its synthetic peers / a bare WebRTC leg pair)", String(format: "%.0f KB / %.0f KB", memory.call, memory.legPair), "—"),
    ("pass-through concurrent calls (bridges on one core)", "\(passThrough.best?.calls ?? 0)", "1,000"),
    ("G.711 on both legs (additional_codecs): concurrent calls on one core", "\(g711?.calls ?? 0)", "—"),
    ("  its CPU per call", cell(g711?.cpuMicrosecondsPerCallSecond, "%.0f µs per call-second"), "—"),
]
print("")
print("| figure | wagate | goal / reference |")
print("|---|---|---|")
for row in rows { print("| \(row.0) | \(row.1) | \(row.2) |") }
print(String(format: "\nbench finished in %.0f s", elapsed()))
