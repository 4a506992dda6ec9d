import Foundation

/// One forward-only schema step. New tables (call detail records, say) are added
/// as new migrations at the end of ``StoreMigrations/all``; applied ones never change.
public struct StoreMigration: Sendable {
    /// Strictly increasing version number.
    public var version: Int
    /// A short name for logs.
    public var name: String
    /// The statements, run in one transaction.
    public var statements: [String]
}

/// The schema history of the gateway's database.
public enum StoreMigrations {
    /// Every migration, in order.
    public static let all: [StoreMigration] = [
        StoreMigration(version: 1, name: "webhook deliveries", statements: [
            """
            CREATE TABLE webhook_deliveries (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                received_at REAL NOT NULL,
                signature TEXT NOT NULL,
                body BLOB NOT NULL,
                event_count INTEGER NOT NULL
            )
            """,
            """
            CREATE TABLE webhook_events (
                key TEXT PRIMARY KEY,
                delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries(id),
                kind TEXT NOT NULL,
                wacid TEXT,
                received_at REAL NOT NULL,
                admitted INTEGER NOT NULL
            )
            """,
            "CREATE INDEX webhook_events_wacid ON webhook_events(wacid)",
        ]),
        StoreMigration(version: 2, name: "registrations", statements: [
            """
            CREATE TABLE registrations (
                "user" TEXT PRIMARY KEY,
                bindings BLOB NOT NULL,
                updated_at REAL NOT NULL
            )
            """,
        ]),
        StoreMigration(version: 3, name: "call detail records", statements: [
            """
            CREATE TABLE calls (
                call_id TEXT PRIMARY KEY,
                direction TEXT NOT NULL,
                sip_call_id TEXT,
                wacid TEXT,
                caller TEXT NOT NULL,
                callee TEXT NOT NULL,
                sip_party TEXT,
                setup_at REAL NOT NULL,
                ring_at REAL,
                answer_at REAL,
                end_at REAL,
                end_reason TEXT,
                ended_by TEXT,
                sip_codec TEXT,
                whatsapp_codec TEXT,
                statistics TEXT
            )
            """,
            "CREATE INDEX calls_setup_at ON calls(setup_at)",
            "CREATE INDEX calls_in_progress ON calls(end_at) WHERE end_at IS NULL",
            "CREATE INDEX calls_wacid ON calls(wacid)",
        ]),
        // Crash safety and bounded storage: an event is marked processed once call
        // control has handled it (rows from before are taken as handled); a
        // delivery's body and signature are scrubbed after the body retention.
        StoreMigration(version: 4, name: "webhook processing and retention", statements: [
            "ALTER TABLE webhook_events ADD COLUMN processed INTEGER NOT NULL DEFAULT 1",
            "ALTER TABLE webhook_deliveries ADD COLUMN scrubbed_at REAL",
            "CREATE INDEX webhook_events_unprocessed ON webhook_events(delivery_id) WHERE processed = 0",
            "CREATE INDEX webhook_events_received_at ON webhook_events(received_at)",
            "CREATE INDEX webhook_events_delivery ON webhook_events(delivery_id)",
            "CREATE INDEX webhook_deliveries_received_at ON webhook_deliveries(received_at)",
        ]),
        // Every identifier Meta gave for the call's WhatsApp user (a user with a
        // username may have no phone number); rows from before keep theirs in caller/callee.
        StoreMigration(version: 5, name: "whatsapp user identifiers", statements: [
            "ALTER TABLE calls ADD COLUMN wa_phone TEXT",
            "ALTER TABLE calls ADD COLUMN wa_bsuid TEXT",
            "ALTER TABLE calls ADD COLUMN wa_parent_bsuid TEXT",
            "ALTER TABLE calls ADD COLUMN wa_username TEXT",
            "ALTER TABLE calls ADD COLUMN wa_profile_name TEXT",
            "CREATE INDEX calls_wa_bsuid ON calls(wa_bsuid)",
        ]),
        // The business number (phone_number_id) each call went through, so CDRs
        // tell numbers apart and crash recovery terminates through the right one.
        StoreMigration(version: 6, name: "call business number", statements: [
            "ALTER TABLE calls ADD COLUMN phone_number_id TEXT",
        ]),
        // Meta-side recording and transcription: whether each was requested and,
        // once Meta's webhook came, the media id and download URL (never the transcript text).
        StoreMigration(version: 7, name: "meta recording and transcription", statements: [
            "ALTER TABLE calls ADD COLUMN meta_recording_status TEXT",
            "ALTER TABLE calls ADD COLUMN meta_recording_media_id TEXT",
            "ALTER TABLE calls ADD COLUMN meta_recording_url TEXT",
            "ALTER TABLE calls ADD COLUMN meta_transcription_status TEXT",
            "ALTER TABLE calls ADD COLUMN meta_transcription_media_id TEXT",
            "ALTER TABLE calls ADD COLUMN meta_transcription_url TEXT",
        ]),
        // Numbers onboarded through Embedded Signup. The business token is sealed
        // with AES-GCM (nonce, ciphertext and tag in one blob); key_id names the
        // key that sealed it so that keys can be rotated.
        StoreMigration(version: 8, name: "onboarded numbers", statements: [
            """
            CREATE TABLE onboarded_numbers (
                phone_number_id TEXT PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                business_number TEXT NOT NULL,
                waba_id TEXT NOT NULL,
                dial_prefix TEXT NOT NULL DEFAULT '',
                token_sealed BLOB NOT NULL,
                key_id TEXT NOT NULL,
                created_at REAL NOT NULL
            )
            """,
        ]),
        // Complete CDRs: the SIP final status and Meta's error (code and fbtrace_id)
        // apart from the end reason; the permission state an outbound call met; the
        // gateway's own recording; the calling user behind a trunk; both legs' media
        // figures at call end.
        StoreMigration(version: 9, name: "complete call detail records", statements: [
            "ALTER TABLE calls ADD COLUMN sip_status INTEGER",
            "ALTER TABLE calls ADD COLUMN meta_error_code INTEGER",
            "ALTER TABLE calls ADD COLUMN fbtrace_id TEXT",
            "ALTER TABLE calls ADD COLUMN permission_state TEXT",
            "ALTER TABLE calls ADD COLUMN recording_path TEXT",
            "ALTER TABLE calls ADD COLUMN sip_from_user TEXT",
        ] + ["sip", "wa"].flatMap { leg in
            ["packets_sent INTEGER", "packets_received INTEGER", "packets_lost INTEGER", "jitter_ms REAL",
             "rtt_ms REAL", "mos REAL"].map { "ALTER TABLE calls ADD COLUMN \(leg)_\($0)" }
        }),
        // Call transfers: one row per transfer of a call (who, to where, how it
        // ended); the call row keeps how many there were and who had the call last.
        StoreMigration(version: 10, name: "call transfers", statements: [
            """
            CREATE TABLE call_transfers (
                call_id TEXT NOT NULL,
                seq INTEGER NOT NULL,
                kind TEXT NOT NULL,
                by_user TEXT,
                target TEXT NOT NULL,
                started_at REAL NOT NULL,
                outcome TEXT NOT NULL,
                answered_by TEXT,
                sip_status INTEGER,
                PRIMARY KEY (call_id, seq)
            )
            """,
            "ALTER TABLE calls ADD COLUMN answered_by TEXT",
            "ALTER TABLE calls ADD COLUMN transfer_count INTEGER NOT NULL DEFAULT 0",
        ]),
        // Clusters: each event's place in its delivery (arrival order without SQLite's
        // rowid); the node that owns each call; node leases (a heartbeat row per node);
        // which node owns each WhatsApp call id; and call slots, one row per call and
        // limit it counts against, so limits hold across nodes.
        StoreMigration(version: 11, name: "cluster", statements: [
            "ALTER TABLE webhook_events ADD COLUMN position INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE calls ADD COLUMN node_id TEXT",
            "CREATE INDEX calls_node_in_progress ON calls(node_id) WHERE end_at IS NULL",
            """
            CREATE TABLE cluster_nodes (
                node_id TEXT PRIMARY KEY,
                url TEXT NOT NULL,
                incarnation TEXT NOT NULL,
                state TEXT NOT NULL,
                ready INTEGER NOT NULL,
                active_calls INTEGER NOT NULL,
                started_at REAL NOT NULL,
                lease_until REAL NOT NULL,
                taken_over_by TEXT,
                taken_over_at REAL
            )
            """,
            """
            CREATE TABLE call_owners (
                wacid TEXT PRIMARY KEY,
                node_id TEXT NOT NULL,
                claimed_at REAL NOT NULL
            )
            """,
            "CREATE INDEX call_owners_claimed_at ON call_owners(claimed_at)",
            """
            CREATE TABLE call_slots (
                scope TEXT NOT NULL,
                call_id TEXT NOT NULL,
                node_id TEXT NOT NULL,
                taken_at REAL NOT NULL,
                PRIMARY KEY (scope, call_id)
            )
            """,
            "CREATE INDEX call_slots_node ON call_slots(node_id)",
            "CREATE INDEX call_slots_call ON call_slots(call_id)",
        ]),
        // Meta's call permission request limits counted across nodes: one row per
        // request and identifier of the user it went to (a request is found by any of
        // them), and the holds Meta's refusals impose. Claims: work that one node of
        // the cluster does for all (a callback armed on several nodes is placed once).
        StoreMigration(version: 12, name: "permission request limits and claims", statements: [
            """
            CREATE TABLE permission_requests (
                number_id TEXT NOT NULL,
                user_key TEXT NOT NULL,
                request_id TEXT NOT NULL,
                sent_at REAL NOT NULL,
                PRIMARY KEY (number_id, user_key, request_id)
            )
            """,
            "CREATE INDEX permission_requests_sent_at ON permission_requests(sent_at)",
            "CREATE INDEX permission_requests_request ON permission_requests(number_id, request_id)",
            """
            CREATE TABLE permission_request_holds (
                number_id TEXT NOT NULL,
                user_key TEXT NOT NULL,
                held_until REAL NOT NULL,
                PRIMARY KEY (number_id, user_key)
            )
            """,
            """
            CREATE TABLE cluster_claims (
                claim TEXT PRIMARY KEY,
                node_id TEXT NOT NULL,
                claimed_at REAL NOT NULL
            )
            """,
        ]),
    ]

    /// `statement` as `dialect` takes it. Migrations are written in SQLite's types;
    /// PostgreSQL gets 64-bit integers, doubles, `bytea` and a sequence for the
    /// auto-incremented key (the same values either way).
    static func statement(_ statement: String, for dialect: SQLDialect) -> String {
        guard dialect == .postgres else { return statement }
        return statement
            .replacingOccurrences(of: "INTEGER PRIMARY KEY AUTOINCREMENT", with: "BIGSERIAL PRIMARY KEY")
            .replacingOccurrences(of: " INTEGER", with: " BIGINT")
            .replacingOccurrences(of: " REAL", with: " DOUBLE PRECISION")
            .replacingOccurrences(of: " BLOB", with: " BYTEA")
    }

    /// The bookkeeping table, created before any migration runs.
    static let bookkeeping = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at REAL NOT NULL
        )
        """
}
