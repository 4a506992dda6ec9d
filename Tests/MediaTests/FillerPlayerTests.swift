import Foundation
import TestSupport
import Testing
@testable import Media

/// What the WhatsApp user hears while the business side is detached, frame by frame.
struct FillerPlayerTests {
    static func play(_ sound: FillerSound, rate: Int, frames: Int) -> [Int16] {
        let player = FillerPlayer(sound, sampleRate: rate)
        var heard: [Int16] = []
        var frame = [Int16](repeating: 1, count: rate / 50)
        for _ in 0..<frames {
            frame.withUnsafeMutableBufferPointer { player.nextFrame($0) }
            heard += frame
        }
        return heard
    }

    static func tone(_ frequency: Double, rate: Int, seconds: Double) -> [Int16] {
        let step = 2 * Double.pi * frequency / Double(rate)
        return (0..<Int(Double(rate) * seconds)).map { (index: Int) -> Int16 in Int16(6000 * sin(step * Double(index))) }
    }

    @Test(arguments: [8_000, 16_000, 48_000])
    func ringbackAtTheLegRate(rate: Int) {
        let heard = Self.play(.ringback(.eu), rate: rate, frames: 25)
        let found = ToneDetector.dominantFrequency(heard.suffix(rate / 2), sampleRate: rate, from: 300, to: 600)
        #expect(abs(found.frequency - 425) <= 10 && found.rms > 1000, "ringback \(found)")
    }

    @Test func silenceIsZeros() {
        #expect(Self.play(.silence, rate: 16_000, frames: 3).allSatisfy { $0 == 0 })
    }

    /// 8 kHz music on a 16 kHz leg is converted, and loops past its end without a gap.
    @Test func musicIsResampledAndLooped() {
        let music = HoldMusic(samples: Self.tone(500, rate: 8_000, seconds: 0.3), sampleRate: 8_000)
        let heard = Self.play(.music(music), rate: 16_000, frames: 50)
        let found = ToneDetector.dominantFrequency(heard.suffix(8_000), sampleRate: 16_000)
        #expect(abs(found.frequency - 500) <= 10 && found.rms > 3000, "music \(found)")
    }

    /// A rate with no integer ratio to the leg's plays as silence rather than noise.
    @Test func unplayableMusicIsSilence() {
        let music = HoldMusic(samples: Self.tone(500, rate: 44_100, seconds: 0.1), sampleRate: 44_100)
        #expect(Self.play(.music(music), rate: 16_000, frames: 3).allSatisfy { $0 == 0 })
    }
}
