import Testing
@testable import WebAgents

@Suite struct AgentCodecTests {
    private func decode(_ text: String) -> Result<AgentRequest, AgentError> {
        AgentRequestDecoder.decode(Array(text.utf8))
    }

    @Test func passwordLoginIsRead() throws {
        let request = try decode(#"{"type":"login","id":"1","v":1,"user":"alice","password":"s3cret","extra":{"x":1}}"#).get()
        #expect(request.id == "1")
        #expect(request.message == .login(AgentLoginRequest(credential: .password(user: "alice", password: "s3cret"))))
    }

    @Test func tokenLoginWithPresence() throws {
        let request = try decode(#"{"type":"login","v":1,"token":"abc","presence":"away"}"#).get()
        #expect(request.message == .login(AgentLoginRequest(credential: .token("abc"), presence: .away)))
    }

    @Test func credentialsNeverPrint() {
        #expect(!"\(AgentCredential.password(user: "alice", password: "s3cret"))".contains("s3cret"))
        #expect(!"\(AgentCredential.token("tok-123"))".contains("tok-123"))
    }

    @Test func callRequestsAreRead() throws {
        #expect(try decode(#"{"type":"dial","id":"2","to":"+447700900123","sdp":"v=0\r\n"}"#).get().message
            == .call(.dial(to: "+447700900123", sdp: "v=0\r\n")))
        #expect(try decode(#"{"type":"dtmf","call":"a-1","digits":"12#"}"#).get().message
            == .call(.dtmf(call: "a-1", digits: "12#", durationMS: 160)))
        #expect(try decode(#"{"type":"hold","call":"a-1","on":true}"#).get().message == .call(.hold(call: "a-1", on: true)))
        #expect(try decode(#"{"type":"reject","call":"a-1","reason":"busy"}"#).get().message
            == .call(.reject(call: "a-1", reason: .busy)))
        #expect(try decode(#"{"type":"permission.request","to":"+447700900123"}"#).get().message
            == .call(.permissionRequest(to: "+447700900123")))
    }

    @Test(arguments: [
        ("not json", AgentErrorCode.badMessage),
        ("[1,2]", .badMessage),
        (#"{"type":"hold","call":"a-1","on":1}"#, .badMessage),
        (#"{"type":"dtmf","call":"a-1","digits":"12x"}"#, .badMessage),
        (#"{"type":"dtmf","call":"a-1","digits":"1","duration_ms":10}"#, .badMessage),
        (#"{"type":"login","v":2,"user":"a","password":"b"}"#, .unsupportedVersion),
        (#"{"type":"transfer","call":"a-1","to":"bob","replaces":"a-2"}"#, .badMessage),
        (#"{"type":"dial","to":"1","sdp":"hello"}"#, .badMessage),
        (#"{"type":"teleport","id":"7"}"#, .unknownType),
        (#"{"type":"ping","id":"0123456789012345678901234567890123"}"#, .badMessage),
    ])
    func refusals(text: String, code: AgentErrorCode) {
        guard case .failure(let error) = decode(text) else {
            Issue.record("accepted \(text)")
            return
        }
        #expect(error.code == code)
    }

    @Test func refusalCarriesTheRequestID() {
        guard case .failure(let error) = decode(#"{"type":"teleport","id":"7"}"#) else { return }
        #expect(error.re == "7")
    }

    @Test func badUTF8AndOversizeAreRefused() {
        guard case .failure(let utf8) = AgentRequestDecoder.decode([0x7B, 0xFF, 0x7D]) else { return }
        #expect(utf8.code == .badMessage)
        let big = Array(#"{"type":"ping","pad":""#.utf8) + Array(repeating: UInt8(ascii: "x"), count: 70_000) + Array(#""}"#.utf8)
        guard case .failure(let size) = AgentRequestDecoder.decode(big) else { return }
        #expect(size.code == .badMessage)
    }

    @Test func serverMessagesAreSnakeCaseJSON() throws {
        let welcome = AgentServerMessage.welcome(AgentWelcome(
            user: "alice", name: "Alice", token: "t", expiresAt: "2026-12-07T03:20:00Z", session: "s-1",
            presence: .available, maxCalls: 2, numbers: ["+14155550100"], calls: []))
        let json = try #require(AgentJSON.parse(Array(welcome.text.utf8)))
        #expect(json["type"] == .string("welcome"))
        #expect(json["expires_at"] == .string("2026-12-07T03:20:00Z"))
        #expect(json["max_calls"] == .number(2))
        #expect(json["v"] == .number(1))
        let error = AgentServerMessage.error(AgentError(re: "3", code: .locked, message: "m", retryAfter: 300))
        let errorJSON = try #require(AgentJSON.parse(Array(error.text.utf8)))
        #expect(errorJSON["code"] == .string("locked"))
        #expect(errorJSON["retry_after"] == .number(300))
        #expect(errorJSON["re"] == .string("3"))
        let ok = try #require(AgentJSON.parse(Array(AgentServerMessage.ok(re: nil).text.utf8)))
        #expect(ok["re"] == nil)
    }

    @Test func incomingCarriesCTAOnlyWhenSent() throws {
        let plain = AgentIncoming(call: "a-1", sdp: "v=0", from: AgentParty(number: "+1"), to: AgentParty(number: "+2"))
        let json = try #require(AgentJSON.parse(Array(AgentServerMessage.incoming(plain).text.utf8)))
        #expect(json["cta"] == nil)
        #expect(json["auto_answer"] == .bool(false))
        var withCTA = plain
        withCTA.ctaPayload = "order-4711"
        let cta = try #require(AgentJSON.parse(Array(AgentServerMessage.incoming(withCTA).text.utf8)))
        #expect(cta["cta"]?["payload"] == .string("order-4711"))
    }
}
