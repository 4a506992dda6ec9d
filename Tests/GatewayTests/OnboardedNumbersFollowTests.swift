// A cluster node follows the numbers other nodes onboard and remove through the
// shared store (SQLite stands in for PostgreSQL: the statements are the same):
// it serves a new row, serves a changed row again, stops serving a deleted one,
// and never serves a row it cannot open or one that clashes with the config.

import CallControl
import Config
import Foundation
import Logging
import Store
import TestSupport
import Testing
import WhatsAppCloud
@testable import Gateway

@Suite struct OnboardedNumbersFollowTests {
    static let key = EncryptionKey(text: String(repeating: "ab", count: 32))!
    static let otherKey = EncryptionKey(text: String(repeating: "cd", count: 32))!
    let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    func node(_ harness: GatewayHarness, store: GatewayStore, graphs: GraphClients) -> OnboardingService {
        let onboarding = OnboardingConfig(token: Secret(String(repeating: "t", count: 20)), encryptionKey: Self.key,
                                          appID: "1", configID: "2", inboundTarget: .user("bob"))
        return OnboardingService(
            config: .twoNumbers, onboarding: onboarding, store: store, control: harness.control, graphs: graphs,
            makeClient: { id, token in
                GraphClient(settings: GraphClientSettings(baseURL: "http://127.0.0.1:9", apiVersion: "v23.0",
                                                          phoneNumberID: id, accessToken: token))
            }, logger: quiet)
    }

    func row(_ id: String, name: String = "acme", prefix: String = "*3", key: EncryptionKey = Self.key) throws
        -> StoredNumber {
        let cipher = TokenCipher(key: key.reveal())
        return StoredNumber(phoneNumberID: id, name: name, businessNumber: "+15550109999", wabaID: "900",
                            dialPrefix: prefix, sealedToken: try cipher.seal("business-token"), keyID: cipher.keyID)
    }

    func runtime(_ harness: GatewayHarness) async -> [String: NumberConfig] {
        let served = await harness.control.servedNumbers()
        return Dictionary(uniqueKeysWithValues: served.numbers.filter { served.runtime.contains($0.phoneNumberID) }
            .map { ($0.phoneNumberID, $0) })
    }

    @Test func aNumberStoredByAnotherNodeIsServedServedAgainWhenChangedAndDroppedWhenDeleted() async throws {
        let store = try await GatewayStore.open(.init(location: .memory), logger: quiet)
        let harness = await GatewayHarness(config: .twoNumbers)
        let graphs = GraphClients()
        let follower = node(harness, store: store, graphs: graphs)
        await follower.restore()
        #expect(await runtime(harness).isEmpty)

        try await store.saveNumber(row("333"))
        await follower.follow()
        #expect(await runtime(harness)["333"]?.dialPrefix == "*3")
        #expect(await runtime(harness)["333"]?.accessToken.reveal() == "business-token")
        #expect(graphs[WhatsAppNumberID("333")] != nil)

        try await store.saveNumber(row("333", prefix: "*4"))
        await follower.follow()
        #expect(await runtime(harness)["333"]?.dialPrefix == "*4")

        #expect(try await store.deleteNumber(phoneNumberID: "333"))
        await follower.follow()
        #expect(await runtime(harness).isEmpty)
        let names = await harness.control.servedNumbers().numbers.map(\.name)
        #expect(names == ["sales", "support"], "config-file numbers stay")
    }

    @Test func rowsThatCannotBeServedAreLeftOutAndConfigNumbersStay() async throws {
        let store = try await GatewayStore.open(.init(location: .memory), logger: quiet)
        let harness = await GatewayHarness(config: .twoNumbers)
        let follower = node(harness, store: store, graphs: GraphClients())
        try await store.saveNumber(row("444", key: Self.otherKey))
        try await store.saveNumber(row("111", name: "other"))
        try await store.saveNumber(row("555", name: "sales"))
        await follower.follow()
        await follower.follow()
        #expect(await runtime(harness).isEmpty)
        let served = await harness.control.servedNumbers().numbers
        #expect(served.map(\.phoneNumberID) == ["111", "222"] && served.map(\.name) == ["sales", "support"])
        // Deleting a row this node never served changes nothing.
        #expect(try await store.deleteNumber(phoneNumberID: "111"))
        await follower.follow()
        #expect(await harness.control.servedNumbers().numbers.map(\.phoneNumberID) == ["111", "222"])
    }

    @Test func theStoreAwayChangesNothing() async throws {
        let store = try await GatewayStore.open(.init(location: .memory), logger: quiet)
        let harness = await GatewayHarness(config: .twoNumbers)
        let follower = node(harness, store: store, graphs: GraphClients())
        try await store.saveNumber(row("333"))
        await follower.follow()
        try await store.close()
        await follower.follow()
        #expect(await runtime(harness)["333"] != nil, "an unreadable store does not read as an empty one")
    }
}
