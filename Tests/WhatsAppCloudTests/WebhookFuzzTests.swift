import Foundation
import Logging
import TestSupport
import Testing
@testable import WhatsAppCloud

/// Random and mutated webhook bodies: never a crash; signed malformed → 400;
/// unsigned → 401 and nothing stored.
@Suite struct WebhookFuzzTests {
    static let secret = "fuzz-secret"

    @Test func mutatedAndRandomBodies() async throws {
        var rng = SplitMix64(seed: 0x5EED_CAFE)
        let seeds = try Fixtures.all().filter { $0.hasPrefix("webhook_") }.map { Array(try Fixtures.data($0)) }
        let store = InMemoryWebhookDeliveryStore()
        let processor = WebhookProcessor(settings: .init(verifyToken: "v", appSecret: Self.secret), store: store,
                                         sink: RecordingSink(), logger: quietLogger)
        var stored = 0
        for iteration in 0..<600 {
            let body = Self.body(iteration: iteration, seeds: seeds, rng: &rng)
            #expect(await processor.receive(body: body, signature: nil).status == 401)
            #expect(await store.offered == stored)
            let answer = await processor.receive(body: body, signature: WebhookSignature.sign(body: body, appSecret: Self.secret))
            let isObject: Bool
            if case .object? = try? JSONValue.parse(Data(body)) { isObject = true } else { isObject = false }
            #expect(answer.status == (isObject ? 200 : 400), "iteration \(iteration)")
            if isObject { stored += 1 }
            #expect(await store.offered == stored)
        }
    }

    /// Decoding structurally mutated but valid JSON never throws and never traps.
    @Test func structuralMutationsDecode() throws {
        var rng = SplitMix64(seed: 42)
        let seeds = try Fixtures.all().filter { $0.hasPrefix("webhook_") }.map { try Fixtures.json($0) }
        for _ in 0..<400 {
            let mutated = Self.mutate(seeds.randomElement(using: &rng)!, rng: &rng, depth: 0)
            let data = try GraphJSON.encoder.encode(mutated)
            if case .object = mutated { _ = try WebhookDecoder.decode(data) }
        }
    }

    static func body(iteration: Int, seeds: [[UInt8]], rng: inout SplitMix64) -> [UInt8] {
        switch iteration % 4 {
        case 0:
            return (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        case 1:
            var body = seeds.randomElement(using: &rng)!
            for _ in 0..<Int.random(in: 1...8, using: &rng) where !body.isEmpty {
                body[Int.random(in: 0..<body.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            return body
        case 2:
            let body = seeds.randomElement(using: &rng)!
            return Array(body.prefix(Int.random(in: 0...body.count, using: &rng)))
        default:
            let seed = (try? JSONValue.parse(Data(seeds.randomElement(using: &rng)!))) ?? .null
            return Array((try? GraphJSON.encoder.encode(mutate(seed, rng: &rng, depth: 0))) ?? Data())
        }
    }

    /// Replaces random members with values of other types, drops and duplicates members.
    static func mutate(_ value: JSONValue, rng: inout SplitMix64, depth: Int) -> JSONValue {
        let replacements: [JSONValue] = [.null, .bool(true), .number(-1), .number(1e300), .string(""), .string("RINGING"),
                                         .array([]), .object([:]), .string("connect"), .number(138006)]
        if depth > 0, Int.random(in: 0..<10, using: &rng) == 0 { return replacements.randomElement(using: &rng)! }
        switch value {
        case .object(var members):
            for key in members.keys {
                switch Int.random(in: 0..<8, using: &rng) {
                case 0: members.removeValue(forKey: key)
                default: members[key] = mutate(members[key]!, rng: &rng, depth: depth + 1)
                }
            }
            return .object(members)
        case .array(let elements):
            var mutated = elements.map { mutate($0, rng: &rng, depth: depth + 1) }
            if let first = mutated.first, Bool.random(using: &rng) { mutated.append(first) }
            return .array(mutated)
        default:
            return value
        }
    }
}
