import AsyncHTTPClient
import Foundation
import HTTP
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing
import WhatsAppCloud

/// A back end that records what the routes asked of it.
actor FakeOnboardingBackend: OnboardingBackend {
    var signups: [OnboardingSignup] = []
    var removed: [String] = []

    func signup(_ signup: OnboardingSignup) async throws(OnboardingFailure) -> ListedNumber {
        signups.append(signup)
        if signup.wabaID == "999" { throw OnboardingFailure(status: 502, "app subscription failed: Meta answered 400") }
        return ListedNumber(name: signup.effectiveName, phoneNumberID: signup.phoneNumberID,
                            businessNumber: "+15550109999", wabaID: signup.wabaID, source: .onboarded)
    }

    func numbers() async -> [ListedNumber] {
        [ListedNumber(name: "main", phoneNumberID: "1", businessNumber: "+15550100000", wabaID: nil, source: .config)]
    }

    func remove(phoneNumberID: String) async throws(OnboardingFailure) {
        guard phoneNumberID != "1" else { throw OnboardingFailure(status: 409, "config-file number") }
        removed.append(phoneNumberID)
    }
}

/// The onboarding listener over real HTTP: page, bearer token, lockout, strict input.
@Suite struct OnboardingRoutesTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    static let token = "route-test-token-0123"

    func withServer(maxFailures: Int = 10,
                    _ body: (String, FakeOnboardingBackend) async throws -> Void) async throws {
        let backend = FakeOnboardingBackend()
        let server = OnboardingServer(
            listen: .init(host: "127.0.0.1", port: 0), page: "<html>signup</html>",
            guard: BearerAuthGuard(token: Self.token, maxFailures: maxFailures), backend: backend, logger: Self.quiet)
        try await serving(server, port: server.port, logger: Self.quiet) { base in
            try await body(base, backend)
        }
    }

    func send(_ method: String, _ url: String, body: String? = nil,
              token: String? = token) async throws -> (Int, String) {
        var request = HTTPClientRequest(url: url)
        request.method = .init(rawValue: method)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: bytes))
    }

    @Test func thePageNeedsNoTokenAndTheAPIDoes() async throws {
        try await withServer { base, backend in
            let (status, page) = try await send("GET", base + "/onboarding/", token: nil)
            #expect(status == 200 && page == "<html>signup</html>")
            let (refused, answer) = try await send("GET", base + "/onboarding/numbers", token: "wrong-wrong-wrong")
            #expect(refused == 401 && answer.contains("\"error\""))
            let (none, _) = try await send("POST", base + "/onboarding/signup",
                                           body: #"{"code":"c","waba_id":"1","phone_number_id":"2"}"#, token: nil)
            #expect(none == 401)
            #expect(await backend.signups.isEmpty)
            let (listed, numbers) = try await send("GET", base + "/onboarding/numbers")
            #expect(listed == 200 && numbers.contains(#""source":"config""#))
        }
    }

    @Test func aSignupAnswers201WithTheNumberAndFailuresAreJSON() async throws {
        try await withServer { base, backend in
            let (status, body) = try await send("POST", base + "/onboarding/signup",
                                                body: #"{"code":"AQabc","waba_id":"77","phone_number_id":"88","name":"acme"}"#)
            #expect(status == 201)
            #expect(body == #"{"number":{"business_number":"+15550109999","name":"acme","phone_number_id":"88","source":"onboarded","waba_id":"77"}}"#)
            #expect(await backend.signups.map(\.code) == ["AQabc"])
            let (failed, error) = try await send("POST", base + "/onboarding/signup",
                                                 body: #"{"code":"AQabc","waba_id":"999","phone_number_id":"88"}"#)
            #expect(failed == 502 && error.contains("app subscription failed"))
            let (removed, _) = try await send("DELETE", base + "/onboarding/numbers/88")
            let removedIDs = await backend.removed
            #expect(removed == 204 && removedIDs == ["88"])
            #expect(try await send("DELETE", base + "/onboarding/numbers/1").0 == 409)
            #expect(try await send("DELETE", base + "/onboarding/numbers/1x").0 == 400)
        }
    }

    @Test func badInputIsRefusedBeforeTheBackEnd() async throws {
        try await withServer { base, backend in
            let bodies = [
                "not json", "[]", #"{"code":"c","waba_id":"1"}"#, #"{"code":"c","waba_id":"1a","phone_number_id":"2"}"#,
                #"{"code":"c d","waba_id":"1","phone_number_id":"2"}"#, #"{"code":"c","waba_id":"1","phone_number_id":"2","x":1}"#,
                #"{"code":"c","waba_id":"1","phone_number_id":"2","name":"a b"}"#,
                #"{"code":"c","waba_id":"1","phone_number_id":"\#(String(repeating: "1", count: 33))"}"#,
            ]
            for body in bodies {
                let (status, _) = try await send("POST", base + "/onboarding/signup", body: body)
                #expect(status == 400, "\(body)")
            }
            let huge = #"{"code":"\#(String(repeating: "a", count: 9000))","waba_id":"1","phone_number_id":"2"}"#
            let (tooLarge, _) = try await send("POST", base + "/onboarding/signup", body: huge)
            #expect(tooLarge == 413)
            #expect(await backend.signups.isEmpty)
        }
    }

    @Test func repeatedWrongTokensLockTheSourceOut() async throws {
        try await withServer(maxFailures: 3) { base, _ in
            for _ in 0..<3 {
                let (status, _) = try await send("GET", base + "/onboarding/numbers", token: "bad")
                #expect(status == 401)
            }
            // Locked: even the right token is refused until the lockout ends.
            #expect(try await send("GET", base + "/onboarding/numbers").0 == 429)
        }
    }

    @Test func theGuardTableIsBoundedAndLockoutsExpire() async {
        let clock = ManualTime()
        let guardian = BearerAuthGuard(token: Self.token, maxFailures: 2, window: 60, lockout: 30, capacity: 4,
                                           now: { clock.value })
        for source in 0..<100 { _ = await guardian.check(authorization: nil, source: "10.0.0.\(source)") }
        #expect(await guardian.check(authorization: "Bearer \(Self.token)", source: "10.0.0.99") == .allowed)
        _ = await guardian.check(authorization: "Bearer nope", source: "a")
        #expect(await guardian.check(authorization: "Bearer nope", source: "a") == .refused(log: false))
        #expect(await guardian.check(authorization: "Bearer \(Self.token)", source: "a") == .locked(retryAfter: 30))
        clock.value += 31
        #expect(await guardian.check(authorization: "Bearer \(Self.token)", source: "a") == .allowed)
        // At most one refusal a second is logged.
        #expect(await guardian.check(authorization: "Bearer nope", source: "b") == .refused(log: true))
        #expect(await guardian.check(authorization: "Bearer nope", source: "c") == .refused(log: false))
    }
}

/// A settable clock.
final class ManualTime: Sendable {
    private let seconds = Mutex<Double>(1000)
    /// The current time.
    var value: Double {
        get { seconds.withLock { $0 } }
        set { seconds.withLock { $0 = newValue } }
    }
}
