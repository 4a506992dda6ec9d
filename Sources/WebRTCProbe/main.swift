// webrtc-probe: one WebRTC leg driven over stdin/stdout, for interop tests with
// an independent WebRTC stack (aiortc). Not part of the product.
//
//   webrtc-probe answer|offer|answer-sdes [--tone HZ] [--seconds S] [--rate 8000|16000|48000] [--dtmf DIGITS]
//
// answer: reads an SDP offer from stdin up to a line ".", prints our answer and
//         ".", runs, then prints one JSON line of results.
// offer:  prints our offer (setup:actpass, mid audio, Opus 111, telephone-event
//         126) and ".", reads the answer up to ".", runs, prints results.
// answer-sdes: as answer, for an SDES offer (RTP/SAVP + a=crypto): the leg in
//         `.sdes` mode (Opus, PCMU, PCMA), keyed from the SDP, sending at once.
import Codecs
import Foundation
import Logging
import Media
import NIOPosix
import SDP
import TestSupport

struct ProbeResult: Encodable {
    var events: [String]
    var frequency: Double
    var rms: Double
    var packetsSent: Int
    var packetsReceived: Int
    var packetsLost: Int
    var srtpFailures: Int
    var foreignDropped: Int
    var rtcpSent: Int
    var rtcpReceived: Int
    var roundTripMs: Double?
    var dtmf: String
}

func readSDP() -> String {
    var lines: [String] = []
    while let line = readLine(strippingNewline: true), line != "." { lines.append(line) }
    return lines.joined(separator: "\r\n") + "\r\n"
}

func option(_ name: String, _ fallback: String) -> String {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return fallback }
    return arguments[index + 1]
}

let role = CommandLine.arguments.dropFirst().first ?? "answer"
let tone = Double(option("--tone", "1000")) ?? 1000
let seconds = Double(option("--seconds", "4")) ?? 4
let rate = Int(option("--rate", "8000")) ?? 8000
let digits = option("--dtmf", "")
var logger = Logger(label: "probe")
logger.logLevel = .warning

let base = 2 * Int.random(in: 15_000...29_000)
var configuration = WebRTCLegConfiguration(mode: role == "answer-sdes" ? .sdes : .gateway, bindHost: "127.0.0.1",
                                           candidateAddresses: ["127.0.0.1"], sampleRate: rate, setupTimeout: .seconds(10))
if role == "answer-sdes" { configuration.audioCodecs = rate == 8000 ? [.opus, .pcmu, .pcma] : [.opus] }
let leg = try await WebRTCLeg.open(configuration: configuration, allocator: RTPPortAllocator(range: base...(base + 200)),
                                   group: MultiThreadedEventLoopGroup.singleton, logger: logger) {
    ToneRecorderPort(frequency: tone, sampleRate: rate, maxSamples: rate * 30)
}
let collector = Task {
    var seen: [WebRTCLegEvent] = []
    for await event in leg.events { seen.append(event) }
    return seen
}

if role == "offer" {
    let offer = try WebRTCSDP.offer(local: leg.localParameters(setup: .actpass, sessionID: 7))
    print(offer.serialized().replacingOccurrences(of: "\r\n", with: "\n"), terminator: "")
    print(".")
    fflush(nil)
    let answer = try WebRTCRemoteParameters(parsing: Array(readSDP().utf8))
    leg.start(remote: answer, ourSetup: .actpass)
} else if role == "answer-sdes" {
    let answer = try SDESSDP.answer(toOffer: SessionDescription(parsing: readSDP()), local: leg.sdesLocalParameters(sessionID: 7))
    print(answer.sdp.serialized().replacingOccurrences(of: "\r\n", with: "\n"), terminator: "")
    print(".")
    fflush(nil)
    leg.start(sdes: answer.media)
} else {
    let offerText = readSDP()
    let offer = try SessionDescription(parsing: offerText)
    let answer = try WebRTCSDP.answer(toOffer: offer, local: leg.localParameters(setup: .active, sessionID: 7))
    print(answer.serialized().replacingOccurrences(of: "\r\n", with: "\n"), terminator: "")
    print(".")
    fflush(nil)
    leg.start(remote: try WebRTCRemoteParameters(offer), ourSetup: .active)
}

if !digits.isEmpty {
    try await Task.sleep(for: .seconds(1.5))
    for digit in digits {
        leg.sendDTMF(digit, durationMs: 100)
        try await Task.sleep(for: .milliseconds(250))
    }
}
try await Task.sleep(for: .seconds(seconds))
let recorded = try await leg.withAudioPort { ($0 as? ToneRecorderPort)?.recorded ?? [] }
let statistics = await leg.statistics()
await leg.close()
let events = await collector.value
let analysed = ToneDetector.dominantFrequency(recorded.suffix(rate / 2), sampleRate: rate)
let heardDigits = events.compactMap { if case .dtmf(let digit, _) = $0 { digit } else { nil } }
let result = ProbeResult(
    events: events.map { "\($0)" }, frequency: analysed.frequency, rms: analysed.rms,
    packetsSent: statistics.packetsSent, packetsReceived: statistics.packetsReceived,
    packetsLost: statistics.packetsLost, srtpFailures: statistics.srtpFailures, foreignDropped: statistics.foreignDropped,
    rtcpSent: statistics.rtcpSent, rtcpReceived: statistics.rtcpReceived, roundTripMs: statistics.roundTripMs,
    dtmf: String(heardDigits))
print(String(decoding: try JSONEncoder().encode(result), as: UTF8.self))
