import Testing
@testable import Config

/// `[transfer]`: defaults, every key, fallback targets checked against the file, live reload.
@Suite("transfer section") struct TransferConfigTests {
    static let trunk = "\n[pbx]\ntype = trunk\nhost = 127.0.0.1\n[sales]\ntype = ringgroup\nmembers = alice\n"

    @Test("absent section: transfers on, from trunks too, 30 s, return, no extension trunk")
    func defaults() throws {
        let transfer = try TestSupport.parse(TestSupport.minimal).transfer
        #expect(transfer == TransferConfig.defaults)
        #expect(transfer.enabled && transfer.fromTrunks && transfer.internalCalls && !transfer.notifyProgress)
        #expect(transfer.ringTimeout == .seconds(30) && transfer.fallback == .returnToTransferor)
        #expect(transfer.extensionTrunk == nil)
    }

    @Test("every key is read")
    func values() throws {
        let text = TestSupport.minimal + Self.trunk + """
            [transfer]
            enabled = no
            from_trunks = no
            ring_timeout = 45
            fallback = group:sales
            extension_trunk = pbx
            internal_calls = no
            notify_progress = yes
            """
        let transfer = try TestSupport.parse(text).transfer
        #expect(!transfer.enabled && !transfer.fromTrunks && !transfer.internalCalls && transfer.notifyProgress)
        #expect(transfer.ringTimeout == .seconds(45))
        #expect(transfer.fallback == .target(.group("sales")))
        #expect(transfer.extensionTrunk == "pbx")
    }

    @Test("fallback forms", arguments: [
        ("return", TransferFallback.returnToTransferor), ("NONE", .none), ("user:alice", .target(.user("alice"))),
        ("Trunk:pbx", .target(.trunk("pbx"))),
    ])
    func fallbacks(text: String, expected: TransferFallback) throws {
        let config = try TestSupport.parse(TestSupport.minimal + Self.trunk + "[transfer]\nfallback = \(text)\n")
        #expect(config.transfer.fallback == expected)
    }

    @Test("bad values are reported with their lines")
    func problems() {
        let base = TestSupport.minimal + "\n[transfer]\n"
        #expect(TestSupport.problems(base + "ring_timeout = 4") == [
            "sip.conf:9: bad value '4' for 'ring_timeout' in [transfer]: expected a whole number of seconds from 5 to 300",
        ])
        let fallback = TestSupport.problems(base + "fallback = voicemail")
        #expect(fallback.count == 1 && fallback[0].hasPrefix("sip.conf:9:") && fallback[0].contains("return, none"))
        let unknown = TestSupport.problems(base + "fallback = user:bob")
        #expect(unknown.count == 1 && unknown[0].hasPrefix("sip.conf:9:") && unknown[0].contains("unknown user 'bob'"))
        let wrongKind = TestSupport.problems(base + "extension_trunk = alice")
        #expect(wrongKind.count == 1 && wrongKind[0].contains("'alice' in 'extension_trunk' of [transfer] is a user"))
        let key = TestSupport.problems(base + "hold_musik = x.wav")
        #expect(key.count == 1 && key[0].contains("unknown key 'hold_musik' in [transfer]"))
        #expect(TestSupport.problems(base + "enabled = maybe").count == 1)
    }

    @Test("a reload applies [transfer] live")
    func reload() throws {
        let running = try TestSupport.parse(TestSupport.minimal)
        let loaded = try TestSupport.parse(TestSupport.minimal + "\n[transfer]\nfrom_trunks = no\n")
        let plan = ConfigReloadPlan(running: running, loaded: loaded)
        #expect(plan.applied == ["transfer"] && plan.restartRequired.isEmpty)
        #expect(plan.effective.transfer.fromTrunks == false)
    }
}
