import Testing
@testable import SIP

@Suite struct RegistrarTests {
    let registrar = Registrar(limits: .init(minimum: 60, maximum: 3600, defaultExpires: 600))

    private func request(_ contacts: [SIPContact], expires: Int? = nil, port: Int = 5062) -> SIPRequest {
        SIPRequest(method: "REGISTER", requestURI: "sip:wagate", requestUser: "", from: "", fromUser: "alice",
                   fromDisplay: nil, to: "", toUser: "alice", callID: "c1", cseq: 1, contacts: contacts,
                   expires: expires, userAgent: "test", contentType: nil, body: [],
                   source: SIPSource(host: "192.0.2.7", port: port, transport: "udp"), authorization: nil)
    }
    private func contact(_ uri: String, _ expires: Int? = nil) -> SIPContact {
        SIPContact(uri: uri, expires: expires, isWildcard: false)
    }

    @Test func retainingUsersDropsOnlyRemovedUsersBindings() {
        _ = registrar.register(request([contact("sip:a@192.0.2.7:1")]), user: "alice", now: 0)
        _ = registrar.register(request([contact("sip:b@192.0.2.7:2")]), user: "bob", now: 0)
        #expect(registrar.retain(users: ["alice", "carol"]) == ["bob"])
        #expect(registrar.bindings(for: "alice", now: 1).count == 1)
        #expect(registrar.bindings(for: "bob", now: 1).isEmpty)
        #expect(registrar.retain(users: ["alice"]).isEmpty)
    }

    /// A phone cannot register a browser agent's contact (or any non-SIP URI): routing
    /// would hand it to the agent adapter as if it were that browser.
    @Test func contactsOtherThanSIPOrSIPSAreRefused() {
        for uri in ["wagate-agent:s-abcdefghijklmnop", "tel:+14155550100", "http://192.0.2.7/"] {
            #expect(registrar.register(request([contact(uri)]), user: "alice", now: 0)
                == .badRequest("Contact must be a sip: or sips: URI"), "\(uri)")
        }
        #expect(registrar.bindings(for: "alice", now: 1).isEmpty)
        #expect(registrar.register(request([contact("SIPS:alice@192.0.2.7:5061")]), user: "alice", now: 0)
            == .ok(registrar.bindings(for: "alice", now: 0)))
    }

    @Test func bindsRefreshesAndExpires() {
        #expect(registrar.register(request([contact("sip:alice@192.0.2.7:5062")], expires: 120), user: "alice", now: 0)
            == .ok(registrar.bindings(for: "alice", now: 0)))
        #expect(registrar.bindings(for: "alice", now: 119).count == 1)
        #expect(registrar.bindings(for: "alice", now: 121).isEmpty)
        _ = registrar.register(request([contact("sip:alice@192.0.2.7:5062")], expires: 120), user: "alice", now: 100)
        #expect(registrar.bindings(for: "alice", now: 200).count == 1, "a refresh extends the binding")
    }

    @Test func severalContactsAndSelectiveRemoval() {
        _ = registrar.register(request([contact("sip:a@192.0.2.7:1"), contact("sip:a@192.0.2.8:2", 300)]), user: "alice", now: 0)
        #expect(registrar.bindings(for: "alice", now: 1).count == 2)
        _ = registrar.register(request([contact("sip:a@192.0.2.7:1", 0)]), user: "alice", now: 2)
        #expect(registrar.bindings(for: "alice", now: 3).map(\.contact) == ["sip:a@192.0.2.8:2"])
    }

    @Test func wildcardUnregistersEverything() {
        _ = registrar.register(request([contact("sip:a@192.0.2.7:1")]), user: "alice", now: 0)
        #expect(registrar.register(request([SIPContact(uri: "*", expires: nil, isWildcard: true)], expires: 0), user: "alice", now: 1) == .ok([]))
        #expect(registrar.bindings(for: "alice", now: 2).isEmpty)
        if case .badRequest = registrar.register(request([SIPContact(uri: "*", expires: nil, isWildcard: true)], expires: 60), user: "alice", now: 1) {} else {
            Issue.record("Contact: * with non-zero Expires must be refused")
        }
    }

    @Test func tooBriefAndTooLongIntervals() {
        #expect(registrar.register(request([contact("sip:a@192.0.2.7:1", 10)]), user: "alice", now: 0) == .intervalTooBrief(minimum: 60))
        _ = registrar.register(request([contact("sip:a@192.0.2.7:1", 99_999)]), user: "alice", now: 0)
        #expect(registrar.bindings(for: "alice", now: 3599).count == 1)
        #expect(registrar.bindings(for: "alice", now: 3601).isEmpty, "capped at the maximum")
    }

    @Test func sourceURIPointsAtTheNATAddress() {
        _ = registrar.register(request([contact("sip:a@10.0.0.5:5060")], port: 40_512), user: "alice", now: 0)
        #expect(registrar.bindings(for: "alice", now: 1).first?.sourceURI == "sip:192.0.2.7:40512;transport=udp")
    }
}
