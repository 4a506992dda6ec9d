import Foundation
import Logging
import Testing
@testable import Store

/// CDRs keep every identifier of the WhatsApp user; a database from before
/// (schema 4) is migrated in place and its rows stay readable.
@Suite struct CallRecordIdentifierTests {
    let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test func migratesSchemaFourAndStoresEveryIdentifier() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wagate-\(UUID().uuidString).db").path
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        // A database as schema 4 left it, with one call row.
        let old = try await GatewayStore.open(.init(location: .file(path: path)), logger: quiet)
        _ = try await old.run("test", "DROP INDEX calls_wa_bsuid")
        _ = try await old.run("test", "DROP INDEX calls_node_in_progress")
        // Every column later migrations added to `calls`.
        let added = StoreMigrations.all.filter { $0.version >= 5 }.flatMap(\.statements)
            .compactMap { $0.split(separator: " ").starts(with: ["ALTER", "TABLE", "calls", "ADD", "COLUMN"])
                ? String($0.split(separator: " ")[5]) : nil }
        for column in added {
            _ = try await old.run("test", "ALTER TABLE calls DROP COLUMN \(column)")
        }
        // Tables of later migrations, which schema 4 did not have.
        _ = try await old.run("test", "DROP TABLE onboarded_numbers")
        _ = try await old.run("test", "DROP TABLE call_transfers")
        for table in ["cluster_nodes", "call_owners", "call_slots", "permission_requests", "permission_request_holds",
                      "cluster_claims"] { _ = try await old.run("test", "DROP TABLE \(table)") }
        _ = try await old.run("test", "ALTER TABLE webhook_events DROP COLUMN position")
        _ = try await old.run("test", "DELETE FROM schema_migrations WHERE version >= 5")
        _ = try await old.run("test", """
            INSERT INTO calls (call_id, direction, caller, callee, setup_at) VALUES ('old', 'inbound', '+4477', 'user:alice', 1)
            """)
        try await old.close()

        let store = try await GatewayStore.open(.init(location: .file(path: path)), logger: quiet)
        #expect(try await store.schemaVersion() == StoreMigrations.all.last?.version)
        let kept = try #require(try await store.call(id: "old"))
        #expect(kept.caller == "+4477" && kept.waPhone == nil && kept.waBSUID == nil)
        var call = CallDetailRecord(callID: "new", direction: "inbound", caller: "US.13491208655302741918",
                                    callee: "user:alice", setupAt: Date(timeIntervalSince1970: 2))
        call.waBSUID = "US.13491208655302741918"
        call.waParentBSUID = "US.ENT.11815799212886844830"
        call.waUsername = "bob.example"
        call.waProfileName = "Bob"
        try await store.saveCall(call)
        #expect(try await store.call(id: "new") == call)
        try await store.close()
    }
}
