import Foundation
import Media
import Testing

/// Recording started and stopped on a live bridge: nothing before the start,
/// a valid stereo WAV (SIP tone left, WhatsApp tone right) after the stop, a
/// new file on a restart, and the refusals (no directory, Opus pass-through).
@Suite("Media bridge: live recording", .serialized) struct MediaBridgeRecordingTests {
    /// A fresh directory, removed by `defer` in each test.
    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wagate-liverec-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func onDemand(_ directory: URL) -> MediaBridgeConfiguration {
        var configuration = BridgedCall.configuration(recording: directory.path)
        configuration.recordsFromStart = false
        return configuration
    }

    /// Both channels of a WAV after checking its header: RIFF/WAVE, PCM, two channels, sizes matching the file.
    static func channels(of path: String) throws -> (left: [Int16], right: [Int16], rate: Int) {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        func word(_ at: Int, _ bytes: Int) -> Int {
            data[at..<(at + bytes)].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        }
        #expect(data.count >= 44 && data.prefix(4) == Data("RIFF".utf8) && data[8..<16] == Data("WAVEfmt ".utf8))
        #expect(word(20, 2) == 1 && word(22, 2) == 2 && word(34, 2) == 16, "PCM, stereo, 16 bits")
        #expect(word(4, 4) == data.count - 8 && word(40, 4) == data.count - 44, "the sizes are patched in")
        let samples = data.dropFirst(44).withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
        let frames = samples.count / 2
        return ((0..<frames).map { samples[2 * $0] }, (0..<frames).map { samples[2 * $0 + 1] }, word(24, 4))
    }

    @Test func startStopAndRestartWriteSeparateValidFiles() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let call = try await BridgedCall.open(.init(codec: .pcmu), configuration: Self.onDemand(directory))
        #expect(await call.bridgeEvents.wait { $0.contains(.webrtcMediaFlowing) })
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty, "on demand: nothing yet")
        #expect(await call.bridge.setRecording(false) == .notRecording)

        let base = "\(directory.path)/test-\(call.bridge.sipPort)"
        #expect(await call.bridge.setRecording(true) == .started(base + ".wav"))
        #expect(await call.bridge.setRecording(true) == .alreadyRecording(base + ".wav"))
        #expect(try await call.waitForMoreAudio(seconds: 1.5, sipPackets: 75))
        #expect(await call.bridge.setRecording(false) == .stopped(base + ".wav"))
        let first = try Self.channels(of: base + ".wav")
        #expect(first.rate == 8_000 && first.left.count >= 8_000)
        #expect(abs(ToneAnalysis.dominantFrequency(first.left, sampleRate: 8_000).frequency - 1000) <= 20, "SIP side left")
        #expect(abs(ToneAnalysis.dominantFrequency(first.right, sampleRate: 8_000).frequency - 600) <= 20, "WhatsApp right")
        let firstSize = try Data(contentsOf: URL(fileURLWithPath: base + ".wav")).count

        #expect(await call.bridge.setRecording(true) == .started(base + "-2.wav"))
        #expect(try await call.waitForMoreAudio(seconds: 0.5, sipPackets: 25))
        #expect(await call.bridge.statistics().recordingPath == "\(base).wav \(base)-2.wav")
        await call.close()
        #expect(try Data(contentsOf: URL(fileURLWithPath: base + ".wav")).count == firstSize, "the first file is untouched")
        #expect(try Self.channels(of: base + "-2.wav").left.count > 0, "closing the bridge closes the open file")
        #expect(await call.bridge.setRecording(true) == .closed)
    }

    @Test func everyCallRecordsFromTheStartAndCanBeStopped() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let call = try await BridgedCall.open(.init(codec: .pcmu), configuration: BridgedCall.configuration(recording: directory.path))
        let path = "\(directory.path)/test-\(call.bridge.sipPort).wav"
        #expect(await call.bridge.setRecording(true) == .alreadyRecording(path))
        #expect(await call.bridge.setRecording(false) == .stopped(path))
        await call.close()
        #expect(try Self.channels(of: path).rate == 8_000)
    }

    @Test func oneCallRecordsIntoAtMostAHundredFiles() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let call = try await BridgedCall.open(.init(codec: .pcmu), configuration: Self.onDemand(directory))
        for _ in 0..<100 {
            guard case .started = await call.bridge.setRecording(true) else { Issue.record("a start refused"); break }
            #expect(await call.bridge.setRecording(false) != .notRecording)
        }
        #expect(await call.bridge.setRecording(true) == .tooManyFiles)
        await call.close()
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).count == 100)
    }

    @Test func withoutADirectoryOrInPassThroughNothingIsRecorded() async throws {
        let plain = try await BridgedCall.open(.init(codec: .pcmu))
        #expect(await plain.bridge.setRecording(true) == .noDirectory)
        await plain.close()

        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let opus = try await BridgedCall.open(
            .init(codec: .opus(payloadType: 107), opusPayloads: OpusPayloadPort.tonePayloads(frequency: 1000, count: 50)),
            configuration: Self.onDemand(directory),
            userPort: { OpusPayloadPort(sending: OpusPayloadPort.tonePayloads(frequency: 600, count: 50), changes: $0) })
        #expect(await opus.bridgeEvents.wait { $0.contains(.webrtcMediaFlowing) })
        #expect(await opus.bridge.setRecording(true) == .passThrough)
        await opus.close()
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
}
