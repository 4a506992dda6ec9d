// Random bytes and mutated copies of the example must give a configuration
// or a ConfigError: never a crash, a trap or line 0.

import TestSupport
import Testing
@testable import Config

@Suite("fuzzing")
struct FuzzTests {
    /// Bytes that make mutations interesting for this syntax.
    static let interesting = Array("[]=>;\\\"$ {}:,/*+-.\r\n\t0123456789abcxyz".utf8) + [0x00, 0xFF, 0xC3, 0xA9, 0xE2]

    @Test("random bytes and mutated examples never crash", .timeLimit(.minutes(1)))
    func fuzz() throws {
        let example = Array(try readText(TestSupport.examplePath).utf8)
        var random = SplitMix64(seed: 0x5EED_CAFE)
        var accepted = 0, rejected = 0
        for iteration in 0..<2000 {
            let bytes = iteration % 4 == 0
                ? (0..<Int.random(in: 0...400, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                : mutate(example, rounds: Int.random(in: 1...8, using: &random), using: &random)
            let text = String(decoding: bytes, as: UTF8.self)
            let environment = ["WA_ACCESS_TOKEN": "t", "A": "${A}"]
            do {
                _ = try ConfigLoader.parse(text: text, file: "fuzz.conf", environment: environment, baseDirectory: "/nonexistent")
                accepted += 1
            } catch {
                rejected += 1
                #expect(!error.problems.isEmpty)
                #expect(error.problems.allSatisfy { $0.line >= 1 && $0.file == "fuzz.conf" })
                #expect(error.problems.map(\.line) == error.problems.map(\.line).sorted())
            }
        }
        #expect(accepted + rejected == 2000)
        #expect(accepted > 0 && rejected > 0)
    }

    /// `bytes` after `rounds` random edits: flips, insertions, deletions, line duplication.
    private func mutate(_ bytes: [UInt8], rounds: Int, using random: inout SplitMix64) -> [UInt8] {
        var result = bytes
        for _ in 0..<rounds {
            let position = result.isEmpty ? 0 : Int.random(in: 0..<result.count, using: &random)
            switch Int.random(in: 0..<5, using: &random) {
            case 0 where !result.isEmpty:
                result[position] = Self.interesting.randomElement(using: &random) ?? 0
            case 1:
                result.insert(Self.interesting.randomElement(using: &random) ?? 0, at: position)
            case 2 where !result.isEmpty:
                let end = min(result.count, position + Int.random(in: 1...40, using: &random))
                result.removeSubrange(position..<end)
            case 3 where !result.isEmpty:
                let end = min(result.count, position + Int.random(in: 1...80, using: &random))
                result.insert(contentsOf: result[position..<end], at: position)
            default:
                result.append(UInt8.random(in: 0...255, using: &random))
            }
        }
        return result
    }
}
