// leg-bench: the benchmark of the WhatsApp media leg. Prints figures
// beside baselines measured in the same run; never fails on a figure.
//
// 1. Per-packet cost (µs) of the receive path (RFC 7983 demux + SRTP unprotect
//    + RTP parse + Opus decode) and the send path (Opus encode + RTP header +
//    SRTP protect + UDP send), next to libsrtp alone (SRTPBenchmark's raw loop)
//    and libopus alone (one encode or decode call per frame, nothing else).
// 2. Time from the first STUN check to the first SRTP packet decoded, over
//    back-to-back legs on 127.0.0.1 (goal: under 100 ms).
import Codecs
import Foundation
import Logging
import Media
import NIOPosix
import RTP
import SDP
import SRTP

let iterations = 20_000
let rate = 8_000

func microseconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000 / Double(iterations)
}

// MARK: - Per-packet paths

let encoder = try OpusEncoder(sampleRate: rate, bitrate: 24_000, complexity: 5)
let decoder = try OpusDecoder(sampleRate: rate)
let pcm = UnsafeMutableBufferPointer<Int16>.allocate(capacity: rate / 50)
for i in pcm.indices { pcm[i] = Int16(8000 * sin(2 * Double.pi * 1000 * Double(i) / Double(rate))) }
let decoded = UnsafeMutableBufferPointer<Int16>.allocate(capacity: rate / 50 * 6)
let packet = UnsafeMutableRawBufferPointer.allocate(byteCount: 1600, alignment: 16)
let opusOnly = UnsafeMutableRawBufferPointer.allocate(byteCount: 1500, alignment: 16)
let key = [UInt8](repeating: 0x42, count: 30)
let sender = try SRTPSession(profile: .aesCM128HMACSHA1_80, localKeyAndSalt: key, remoteKeyAndSalt: key)
let receiver = try SRTPSession(profile: .aesCM128HMACSHA1_80, localKeyAndSalt: key, remoteKeyAndSalt: key)

// A UDP socket sending to a bound, never-read socket on loopback: the send path's syscall.
let sink = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
var sinkAddress = sockaddr_in()
sinkAddress.sin_family = sa_family_t(AF_INET)
sinkAddress.sin_addr.s_addr = inet_addr("127.0.0.1")
var length = socklen_t(MemoryLayout<sockaddr_in>.size)
_ = withUnsafeMutablePointer(to: &sinkAddress) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(sink, $0, length) } }
_ = withUnsafeMutablePointer(to: &sinkAddress) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(sink, $0, &length) } }
let out = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)

var opusPackets: [[UInt8]] = []
let opusEncode = try microseconds {
    for _ in 0..<iterations { _ = try encoder.encode(pcm: UnsafeBufferPointer(pcm), into: opusOnly) }
}
for _ in 0..<50 {
    let n = try encoder.encode(pcm: UnsafeBufferPointer(pcm), into: opusOnly)
    opusPackets.append(Array(opusOnly[0..<n]))
}
let opusDecode = try microseconds {
    for i in 0..<iterations {
        _ = try opusPackets[i % 50].withUnsafeBytes { try decoder.decode(packet: $0, into: decoded) }
    }
}

var sequence: UInt16 = 0
var sentPackets: [[UInt8]] = []
let sendPath = try microseconds {
    for i in 0..<iterations {
        RTPHeader(payloadType: 111, sequenceNumber: sequence, timestamp: UInt32(i) &* 960, ssrc: 7).write(to: packet)
        sequence &+= 1
        let body = UnsafeMutableRawBufferPointer(rebasing: packet[12..<1400])
        let n = try encoder.encode(pcm: UnsafeBufferPointer(pcm), into: body)
        let protected = try sender.protectRTP(packet, length: 12 + n)
        _ = withUnsafePointer(to: &sinkAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(out, packet.baseAddress, protected, 0, $0, length) }
        }
        if i < iterations { sentPackets.append(Array(packet[0..<protected])) }
    }
}
let receivePath = try microseconds {
    for i in 0..<iterations {
        let bytes = sentPackets[i]
        bytes.withUnsafeBytes { packet.copyMemory(from: $0) }
        guard PacketDemultiplexer.isRTPOrRTCP(firstByte: packet[0]), !PacketDemultiplexer.isRTCP(secondByte: packet[1]) else { continue }
        let n = try receiver.unprotectRTP(packet, length: bytes.count)
        guard let (_, payload) = RTPHeader.parse(UnsafeRawBufferPointer(rebasing: packet[0..<n])) else { continue }
        _ = try decoder.decode(packet: UnsafeRawBufferPointer(rebasing: packet[payload]), into: decoded)
    }
}
let measured = try SRTPBenchmark.measure(payloadSize: 60, iterations: iterations)
let srtp = (rawProtect: measured.rawProtect / 1_000, rawUnprotect: measured.rawUnprotect / 1_000)  // ns → µs

print("WhatsApp media leg, per 20 ms packet (Opus 8 kHz mono, 24 kbit/s, complexity 5; AES_CM_128_HMAC_SHA1_80)")
func line(_ label: String, _ value: Double) {
    print("  " + label.padding(toLength: 60, withPad: " ", startingAt: 0) + String(format: "%8.2f µs", value))
}
line("send path: Opus encode + RTP + SRTP protect + sendto", sendPath)
line("  libopus alone: opus_encode", opusEncode)
line("  libsrtp alone: srtp_protect (raw loop)", srtp.rawProtect)
line("receive path: demux + SRTP unprotect + RTP parse + Opus decode", receivePath)
line("  libopus alone: opus_decode", opusDecode)
line("  libsrtp alone: srtp_unprotect (raw loop)", srtp.rawUnprotect)
let overhead = (sendPath - opusEncode - srtp.rawProtect) + (receivePath - opusDecode - srtp.rawUnprotect)
print(String(format: "  wagate's own share per packet pair (both paths minus libopus and libsrtp): %.2f µs", overhead))

// MARK: - Setup time

var logger = Logger(label: "bench")
logger.logLevel = .critical
var setupTimes: [Double] = []
for _ in 0..<20 {
    let base = 2 * Int.random(in: 15_000...29_000)
    let ports = RTPPortAllocator(range: base...(base + 10))
    let make = { (mode: WebRTCLegConfiguration.Mode) in
        try await WebRTCLeg.open(
            configuration: WebRTCLegConfiguration(mode: mode, bindHost: "127.0.0.1", candidateAddresses: ["127.0.0.1"]),
            allocator: ports, group: MultiThreadedEventLoopGroup.singleton, logger: logger
        ) { TonePort(frequency: 440, sampleRate: 8000) }
    }
    let user = try await make(.iceLite)
    let gateway = try await make(.gateway)
    let offer = try WebRTCSDP.metaStyleOffer(local: user.localParameters(setup: .actpass, sessionID: 1))
    let answer = try WebRTCSDP.answer(toOffer: offer, local: gateway.localParameters(setup: .active, sessionID: 2))
    user.start(remote: try WebRTCRemoteParameters(answer), ourSetup: .actpass)
    let started = DispatchTime.now().uptimeNanoseconds
    gateway.start(remote: try WebRTCRemoteParameters(offer), ourSetup: .active)
    for await event in gateway.events {
        if event == .mediaFlowing {
            setupTimes.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
            break
        }
        if case .failed = event { break }
    }
    await gateway.close()
    await user.close()
}
setupTimes.sort()
if setupTimes.isEmpty {
    print("setup: no leg connected")
} else {
    let p50 = setupTimes[setupTimes.count / 2], p99 = setupTimes[min(setupTimes.count - 1, setupTimes.count * 99 / 100)]
    print(String(format: "First STUN check → first SRTP packet decoded, 127.0.0.1, %d runs: p50 %.1f ms, p99 %.1f ms (goal < 100 ms)",
                 setupTimes.count, p50, p99))
}
