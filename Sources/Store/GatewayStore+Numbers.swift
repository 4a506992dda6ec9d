import Foundation
import NIOCore

/// A number onboarded through Embedded Signup as the store keeps it: the token
/// only sealed (the store never sees it in clear).
public struct StoredNumber: Sendable, Equatable {
    /// The number's Graph id.
    public var phoneNumberID: String
    /// Its name.
    public var name: String
    /// `+E164`.
    public var businessNumber: String
    /// Its WhatsApp Business Account.
    public var wabaID: String
    /// Its outbound dial prefix (may be empty).
    public var dialPrefix: String
    /// The sealed business token (nonce, ciphertext, tag).
    public var sealedToken: [UInt8]
    /// The id of the key that sealed it.
    public var keyID: String

    /// Creates a row.
    public init(phoneNumberID: String, name: String, businessNumber: String, wabaID: String, dialPrefix: String,
                sealedToken: [UInt8], keyID: String) {
        self.phoneNumberID = phoneNumberID
        self.name = name
        self.businessNumber = businessNumber
        self.wabaID = wabaID
        self.dialPrefix = dialPrefix
        self.sealedToken = sealedToken
        self.keyID = keyID
    }
}

/// Onboarded numbers: one row per phone number id. Saving the same id again
/// replaces the row (re-running a signup is idempotent).
extension GatewayStore {
    /// Inserts or replaces `number`.
    public func saveNumber(_ number: StoredNumber) async throws {
        _ = try await run(
            "save onboarded number",
            "INSERT INTO onboarded_numbers (phone_number_id, name, business_number, waba_id, dial_prefix, token_sealed, "
                + "key_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(phone_number_id) DO UPDATE SET "
                + "name = excluded.name, business_number = excluded.business_number, waba_id = excluded.waba_id, "
                + "dial_prefix = excluded.dial_prefix, token_sealed = excluded.token_sealed, key_id = excluded.key_id",
            [.text(number.phoneNumberID), .text(number.name), .text(number.businessNumber), .text(number.wabaID),
             .text(number.dialPrefix), .blob(ByteBuffer(bytes: number.sealedToken)), .text(number.keyID),
             .float(Date().timeIntervalSince1970)])
    }

    /// Deletes `phoneNumberID`'s row; true when there was one.
    public func deleteNumber(phoneNumberID: String) async throws -> Bool {
        let existing = try await run("find onboarded number",
                                     "SELECT phone_number_id FROM onboarded_numbers WHERE phone_number_id = ?",
                                     [.text(phoneNumberID)])
        guard !existing.isEmpty else { return false }
        _ = try await run("delete onboarded number", "DELETE FROM onboarded_numbers WHERE phone_number_id = ?",
                          [.text(phoneNumberID)])
        return true
    }

    /// Every onboarded number, oldest first.
    public func loadNumbers() async throws -> [StoredNumber] {
        let rows = try await run(
            "load onboarded numbers",
            "SELECT phone_number_id, name, business_number, waba_id, dial_prefix, token_sealed, key_id "
                + "FROM onboarded_numbers ORDER BY created_at")
        return rows.compactMap { row in
            guard let id = row.column("phone_number_id")?.string, let name = row.column("name")?.string,
                  let number = row.column("business_number")?.string, let waba = row.column("waba_id")?.string,
                  let sealed = row.column("token_sealed")?.bytes, let key = row.column("key_id")?.string else { return nil }
            return StoredNumber(phoneNumberID: id, name: name, businessNumber: number, wabaID: waba,
                                dialPrefix: row.column("dial_prefix")?.string ?? "",
                                sealedToken: sealed, keyID: key)
        }
    }
}
