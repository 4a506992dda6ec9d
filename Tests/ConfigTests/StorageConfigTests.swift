import Testing
@testable import Config

/// `[storage]`: retention spans in seconds, the size cap, and their bounds.
@Suite("storage section") struct StorageConfigTests {
    @Test("defaults keep bodies a day, keys a week, sweep hourly, no size cap")
    func defaults() throws {
        let storage = try TestSupport.parse("").storage
        #expect(storage.webhookBodyRetention == .seconds(86_400))
        #expect(storage.webhookRetention == .seconds(604_800))
        #expect(storage.retentionInterval == .seconds(3_600))
        #expect(storage.maxSizeMB == nil)
    }

    @Test("every key is read; 0 MiB means no cap")
    func values() throws {
        let storage = try TestSupport.parse("""
            [storage]
            webhook_body_retention = 0
            webhook_retention = 3600
            retention_interval = 5
            max_size_mb = 64
            """).storage
        #expect(storage.webhookBodyRetention == .zero)
        #expect(storage.webhookRetention == .seconds(3_600))
        #expect(storage.retentionInterval == .seconds(5))
        #expect(storage.maxSizeMB == 64)
        #expect(try TestSupport.parse("[storage]\nmax_size_mb = 0").storage.maxSizeMB == nil)
    }

    @Test("out-of-range and hostile values name the line")
    func bounds() {
        let problems = TestSupport.problems("""
            [storage]
            webhook_retention = 59
            retention_interval = 0
            max_size_mb = 99999999999999999999
            webhook_body_retention = -1
            """)
        #expect(problems.count == 4)
        #expect(problems.first?.hasPrefix("sip.conf:2:") == true)
    }
}
