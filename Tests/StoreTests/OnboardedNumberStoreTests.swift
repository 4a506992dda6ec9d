import Foundation
import Store
import Testing

/// Onboarded numbers in the store: one row per phone number id, replaced on a
/// repeated signup, deleted on removal, the token kept only as given (sealed).
@Suite struct OnboardedNumberStoreTests {
    static func number(_ id: String, name: String, sealed: [UInt8] = [1, 2, 3]) -> StoredNumber {
        StoredNumber(phoneNumberID: id, name: name, businessNumber: "+1555010\(id)", wabaID: "900", dialPrefix: "*3",
                     sealedToken: sealed, keyID: "k1-00")
    }

    @Test(arguments: StoreBackend.all) func savedNumbersAreLoadedReplacedAndDeleted(backend: StoreBackend) async throws {
        let store = try await backend.open(logger: .init(label: "test"))
        try await store.saveNumber(Self.number("1001", name: "acme"))
        try await store.saveNumber(Self.number("1002", name: "other"))
        try await store.saveNumber(Self.number("1001", name: "acme", sealed: [9, 9]))
        let loaded = try await store.loadNumbers()
        #expect(loaded.map(\.phoneNumberID) == ["1001", "1002"])
        #expect(loaded.first?.sealedToken == [9, 9] && loaded.first?.dialPrefix == "*3")
        #expect(try await store.deleteNumber(phoneNumberID: "1001"))
        #expect(try await store.deleteNumber(phoneNumberID: "1001") == false)
        #expect(try await store.loadNumbers().map(\.name) == ["other"])
        try await store.close()
    }
}
