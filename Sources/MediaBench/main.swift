// MediaBench: calls per core of the media bridge beside rtpengine's (make bench).
// Synthetic calls on 127.0.0.1 only: PCMU (or Opus) RTP from simulated phones, SRTP
// Opus (or PCMU) from simulated WhatsApp users, through wagate's bridges on one event
// loop thread (one core) and then through rtpengine pinned to the same core; the
// peers on another. Each mode's ladder (Ladder) finds the most calls with no frame
// lost or late (over 0.1 %), confirmed over a long window.
import Codecs
import Foundation
import Logging
import Media
import NIOPosix

let arguments = CommandLine.arguments
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

// `--fixed=N[:pass|:g711|:heavy] [--pin=BRIDGE,PEERS]`: one run of N calls for the whole window
// (for profiling; heavy is transcoded at 48 kHz, complexity 10), the bridge thread and the
// peers' thread optionally pinned; then exit.
if let fixed = arguments.first(where: { $0.hasPrefix("--fixed=") })?.dropFirst(8) {
    if let pins = arguments.first(where: { $0.hasPrefix("--pin=") })?.dropFirst(6).split(separator: ",").compactMap({ Int($0) }),
       pins.count == 2 {
        let bridgePinned = try await pin(bridgeGroup.next(), toCPU: pins[0])
        let peersPinned = try await pin(peerGroup.next(), toCPU: pins[1])
        print("pinning: bridge thread → CPU \(pins[0]) (\(bridgePinned ? "ok" : "failed")), peers → CPU \(pins[1]) (\(peersPinned ? "ok" : "failed"))")
    }
    let parts = fixed.split(separator: ":")
    let calls = Int(parts[0]) ?? 100
    let mode = parts.count > 1 ? String(parts[1]) : "transcoded"
    var run = makeRun(passThrough: mode == "pass")
    run.whatsAppG711 = mode == "g711"
    if mode == "heavy" {  // transcoded, the WhatsApp leg's Opus at 48 kHz and complexity 10
        run.sampleRate = 48_000
        run.complexity = 10
    }
    let result = try await run.run(calls: calls)
    report(mode, calls, result)
    exit(0)
}
// `--mode=rate [--frames=N] [--only=NAME]`: rate conversion's quality through the codec path and its
// cost per frame (RateQuality); with `--only`, just N frames of that converter (for callgrind); then exit.
if arguments.contains("--mode=rate") {
    let frames = Int(arguments.first { $0.hasPrefix("--frames=") }?.dropFirst(9) ?? "") ?? 2_000
    if let only = arguments.first(where: { $0.hasPrefix("--only=") })?.dropFirst(7) {
        RateQuality.loop(kindNamed: String(only), frames: frames)
    } else {
        try RateQuality.report(frames: frames)
    }
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

func option(_ name: String) -> String? { arguments.first { $0.hasPrefix("--\(name)=") }.map { String($0.dropFirst(name.count + 3)) } }
if let pins = option("pin")?.split(separator: ",").compactMap({ Int($0) }), pins.count == 2 {
    let bridgePinned = try await pin(bridgeGroup.next(), toCPU: pins[0])
    let peersPinned = try await pin(peerGroup.next(), toCPU: pins[1])
    print("pinning: bridge thread → CPU \(pins[0]) (\(bridgePinned ? "ok" : "failed")), generator → CPU \(pins[1]) (\(peersPinned ? "ok" : "failed"))")
}
print("media bench: codec ceilings (opus_encode + opus_decode + G.711 both ways per call per 20 ms, no I/O)…")
let ceiling = try CodecCeiling.measure(sampleRate: 8_000, complexity: 5, bitrate: 24_000)
let heavy = try CodecCeiling.measure(sampleRate: 48_000, complexity: 10, bitrate: 24_000, frames: 500)
let heavyFullband = try CodecCeiling.measure(sampleRate: 48_000, complexity: 10, bitrate: 24_000, frames: 500, highestFrequency: nil)
let heavyWideband = try CodecCeiling.measure(sampleRate: 48_000, complexity: 10, bitrate: 24_000, frames: 500, highestFrequency: 8_000)
// The same loop cycling through 150 encoder/decoder pairs: what libopus costs once
// many calls' state competes for the CPU caches, as it does inside a loaded bridge.
let ceilingMany = try CodecCeiling.measure(sampleRate: 8_000, complexity: 5, bitrate: 24_000, frames: 3_000, instances: 150)
print(String(format: "ceiling: %.1f µs per call per 20 ms warm, %.1f cycling 150 instances, at 48 kHz c10 %.1f narrowband / %.1f wideband / %.1f fullband",
             ceiling.microsecondsPerFrame, ceilingMany.microsecondsPerFrame, heavy.microsecondsPerFrame, heavyWideband.microsecondsPerFrame,
             heavyFullband.microsecondsPerFrame))
_ = try await makeRun(passThrough: false).run(calls: 10)  // warm-up: one-time allocations stay out of the per-call memory
let memory = try await makeRun(passThrough: false).measureMemory(calls: 100)
print(String(format: "  memory: %.0f KB per bridged call with its peers, %.0f KB per bare WebRTC leg pair → bridge ≈ %.0f KB",
             memory.call, memory.legPair, memory.bridge))

// `--rtpengine=PORT:PID`: the ng control port and process of an rtpengine to measure beside wagate.
let rtpengineOption = option("rtpengine")?.split(separator: ":").compactMap { Int($0) }
let modes = (option("modes") ?? BenchMode.allCases.map(\.rawValue).joined(separator: ",")).split(separator: ",").compactMap {
    BenchMode(rawValue: String($0))
}
var ladder = Ladder(start: 0, cap: Int(option("cap") ?? "") ?? 1_000, fineStep: Int(option("fine-step") ?? "") ?? 10,
                    shortWindow: window, confirmWindow: Double(option("confirm-window") ?? "") ?? 30)
ladder.stopBy = Double(option("stop-by") ?? "") ?? .infinity
@MainActor func measured(_ comparison: Comparison) async throws -> Comparison {
    var comparison = comparison
    comparison.budget = Double(option("budget") ?? "") ?? .infinity
    try await comparison.run()
    return comparison
}
let comparison = try await measured(Comparison(modes: modes, ladder: ladder,
                                               rtpengine: rtpengineOption.flatMap { $0.count == 2 ? ($0[0], Int32($0[1])) : nil },
                                               ceiling: ceiling, ceilingMany: ceilingMany, heavy: heavy,
                                               heavyWideband: heavyWideband, heavyFullband: heavyFullband))
try await bridgeGroup.shutdownGracefully()
try await peerGroup.shutdownGracefully()
comparison.printTable(memory: memory)
print(String(format: "\nbench finished in %.0f s", elapsed()))
