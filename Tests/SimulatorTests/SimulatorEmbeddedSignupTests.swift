import Foundation
import Simulator
import Testing
import WhatsAppCloud

/// The simulator's Embedded Signup dialog: what it posts for each outcome, how it
/// refuses a login Meta would refuse, and its control knob.
@Suite struct SimulatorEmbeddedSignupTests {
    static let appID = "300000000000003"
    static let goodQuery = [
        "app_id": appID, "config_id": "777", "response_type": "code", "override_default_response_type": "true",
        "extras": "{}", "version": "v26.0", "origin": "http://127.0.0.1:8080",
    ]
    static let finish = EmbeddedSignupOutcome(event: .finish, code: "code-1", wabaID: "200000000000042",
                                              phoneNumberID: "100000000000042")

    func decoded(_ texts: [String]) throws -> [JSONValue] {
        try texts.map { try JSONValue.parse(Data($0.utf8)) }
    }

    func open(_ outcome: EmbeddedSignupOutcome, query: [String: String] = goodQuery) throws -> [JSONValue] {
        let signup = SimulatedEmbeddedSignup(appID: Self.appID)
        signup.setOutcome(outcome)
        return try decoded(signup.open(EmbeddedSignupDialog(query: query), now: Date(timeIntervalSince1970: 1_700_000_000)))
    }

    @Test func aFinishPostsTheIdsThenHandsTheCodeToTheSDK() throws {
        let messages = try open(Self.finish)
        #expect(messages == [
            ["type": "WA_EMBEDDED_SIGNUP", "event": "FINISH", "version": "4",
             "data": ["phone_number_id": "100000000000042", "waba_id": "200000000000042"]],
            ["type": "wagate-simulator-login-result", "code": "code-1"],
        ])
        var first = Self.finish
        first.callbackFirst = true
        #expect(try open(first) == messages.reversed())
    }

    @Test func aCancelNamesTheStepAndGivesNoCode() throws {
        let messages = try open(EmbeddedSignupOutcome(event: .cancel, currentStep: "WABA_CREATION"))
        #expect(messages[0]["event"] == "CANCEL" && messages[0]["data"] == ["current_step": "WABA_CREATION"])
        #expect(messages[1] == ["type": "wagate-simulator-login-result"])
    }

    @Test(arguments: [("app_id", "999"), ("config_id", ""), ("response_type", "token"),
                      ("override_default_response_type", "false")])
    func aLoginMetaWouldRefuseEndsInAReportedError(_ key: String, _ value: String) throws {
        var query = Self.goodQuery
        query[key] = value
        let messages = try open(Self.finish, query: query)
        #expect(messages[0]["event"] == "CANCEL")
        #expect(messages[0]["data"]?["error_message"]?.stringValue?.isEmpty == false)
        #expect(messages[0]["data"]?["session_id"] != nil && messages[1]["code"] == nil)
    }

    @Test func anExpectedConfigIDMustMatch() throws {
        var outcome = Self.finish
        outcome.expectedConfigID = "888"
        #expect(try open(outcome)[0]["event"] == "CANCEL")
        outcome.expectedConfigID = "777"
        #expect(try open(outcome)[0]["event"] == "FINISH")
    }

    @Test(arguments: ["http://127.0.0.1:8080", "https://gw.example"])
    func anOriginIsSchemeHostAndPort(_ origin: String) {
        #expect(EmbeddedSignupDialog(query: ["origin": origin]).hasValidOrigin)
    }

    @Test(arguments: ["", "*", "javascript:alert(1)", "http://a.example/path", "http://a.example?x=1", "file:///x"])
    func anythingElseIsNoOrigin(_ origin: String) {
        #expect(!EmbeddedSignupDialog(query: ["origin": origin]).hasValidOrigin)
    }

    @Test func theKnobRefusesAFinishWithoutUsableIds() {
        let bad: [JSONValue] = [
            ["event": "FINISH", "waba_id": "1", "phone_number_id": "2"],
            ["event": "FINISH", "code": "c", "waba_id": "1x", "phone_number_id": "2"],
            ["event": "FINISH", "code": "c", "waba_id": "1", "phone_number_id": .string(String(repeating: "9", count: 33))],
            ["event": "SUCCESS"],
            ["event": "CANCEL", "current_step": .string(String(repeating: "x", count: 257))],
        ]
        for body in bad { #expect(throws: SimulatorError.self) { try EmbeddedSignupOutcome(control: body) } }
    }

    @Test func theControlAPISetsTheOutcomeAndShowsTheDialogsOpened() async throws {
        try await Harness.run { harness in
            let set = try await harness.control.request(.PUT, "/control/embedded-signup", body: [
                "event": "FINISH", "code": "abc", "waba_id": "200000000000042", "phone_number_id": "100000000000042",
                "callback_first": true,
            ])
            #expect(set["outcome"]?["event"] == "FINISH" && set["outcome"]?["callback_first"] == true)
            _ = harness.simulator.embeddedSignup.open(EmbeddedSignupDialog(query: Self.goodQuery))
            let shown = try await harness.control.request(.GET, "/control/embedded-signup")
            #expect(shown["dialogs"]?.elements.first?["config_id"] == "777")
            #expect(shown["dialogs"]?.elements.first?["override_default_response_type"] == true)
        }
    }
}

/// A flow that ends with a WABA and no number.
@Suite struct SimulatorEmbeddedSignupOnlyWABATests {
    @Test func aFinishWithoutANumberCarriesOnlyTheWABA() throws {
        let outcome = try EmbeddedSignupOutcome(control: ["event": "finish_only_waba", "code": "c", "waba_id": "42"])
        let signup = SimulatedEmbeddedSignup(appID: SimulatorEmbeddedSignupTests.appID)
        signup.setOutcome(outcome)
        let texts = signup.open(EmbeddedSignupDialog(query: SimulatorEmbeddedSignupTests.goodQuery))
        let messages = try texts.map { try JSONValue.parse(Data($0.utf8)) }
        #expect(messages[0]["event"] == "FINISH_ONLY_WABA" && messages[0]["data"] == ["waba_id": "42"])
        #expect(messages[1]["code"] == "c")
    }
}
