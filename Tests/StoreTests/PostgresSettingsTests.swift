import Testing
@testable import Store

/// `[storage] postgres` URLs, and the placeholders PostgreSQL is sent.
@Suite struct PostgresSettingsTests {
    @Test func aURLGivesEachPartAndADefaultEncryptionByHost() throws {
        let local = try PostgresSettings.parse("postgres://wagate:p%40ss@127.0.0.1:6543/calls").get()
        #expect(local.host == "127.0.0.1" && local.port == 6543 && local.username == "wagate")
        #expect(local.password == "p@ss" && local.database == "calls" && local.tls == .disable)
        let remote = try PostgresSettings.parse("postgresql://wagate@db.example.net/calls").get()
        #expect(remote.port == 5432 && remote.password == nil && remote.tls == .verifyFull)
        #expect(try PostgresSettings.parse("postgres://u@db.example.net/d?sslmode=require").get().tls == .require)
        #expect(!local.description.contains("p@ss") && !local.description.contains("p%40ss"), "no password in logs")
    }

    @Test func eachMistakeIsNamed() {
        let cases = [
            ("mysql://u@h/d", "not a postgres:// URL"), ("postgres:///d", "no host"), ("postgres://h/d", "no user name"),
            ("postgres://u@h", "no database name"), ("postgres://u@h/d/e", "no database name"),
            ("postgres://u@h/d?sslmode=prefer", "sslmode must be"), ("postgres://u@h/d?x=1", "unknown parameter 'x'"),
            ("postgres://u@h:0/d", "port out of range"),
        ]
        for (text, reason) in cases {
            guard case .failure(let error) = PostgresSettings.parse(text) else {
                Issue.record("\(text) was accepted")
                continue
            }
            #expect(error.description.contains(reason), "\(text): \(error)")
        }
    }

    @Test func placeholdersAreNumberedOutsideQuotes() {
        #expect(PostgresDriver.numbered("SELECT ? , '?', \"a?\" FROM t WHERE x = ? AND y IN (?, ?)")
            == "SELECT $1 , '?', \"a?\" FROM t WHERE x = $2 AND y IN ($3, $4)")
        #expect(PostgresDriver.numbered("no placeholders") == "no placeholders")
    }

    @Test func migrationsTranslateTheirTypesForPostgreSQL() {
        let sql = "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER, r REAL, b BLOB, s TEXT)"
        #expect(StoreMigrations.statement(sql, for: .postgres)
            == "CREATE TABLE t (id BIGSERIAL PRIMARY KEY, n BIGINT, r DOUBLE PRECISION, b BYTEA, s TEXT)")
        #expect(StoreMigrations.statement(sql, for: .sqlite) == sql)
    }
}
