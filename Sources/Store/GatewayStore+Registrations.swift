import Foundation
import NIOCore

/// SIP registrations, kept so phones stay reachable across a restart (the
/// registrar restores them at start; expired ones are dropped there). One row
/// per user holding that user's bindings as an opaque encoded blob: the SIP
/// layer owns the format, the store only keeps it.
extension GatewayStore {
    /// Replaces `user`'s saved bindings; an empty blob deletes the row.
    public func saveRegistrations(user: String, encodedBindings: [UInt8]?) async throws {
        try await counted(.registrationSave) { try await writeRegistrations(user: user, encodedBindings: encodedBindings) }
    }

    private func writeRegistrations(user: String, encodedBindings: [UInt8]?) async throws {
        guard let encodedBindings, !encodedBindings.isEmpty else {
            _ = try await run("delete registrations", "DELETE FROM registrations WHERE \"user\" = ?", [.text(user)])
            return
        }
        _ = try await run(
            "save registrations",
            "INSERT INTO registrations (\"user\", bindings, updated_at) VALUES (?, ?, ?) "
                + "ON CONFLICT(\"user\") DO UPDATE SET bindings = excluded.bindings, updated_at = excluded.updated_at",
            [.text(user), .blob(ByteBuffer(bytes: encodedBindings)), .float(Date().timeIntervalSince1970)])
    }

    /// Every saved user's bindings blob.
    public func loadRegistrations() async throws -> [(user: String, encodedBindings: [UInt8])] {
        let rows = try await run("load registrations", "SELECT \"user\", bindings FROM registrations")
        return rows.compactMap { row in
            guard let user = row.column("user")?.string, let blob = row.column("bindings")?.bytes else { return nil }
            return (user, blob)
        }
    }
}
