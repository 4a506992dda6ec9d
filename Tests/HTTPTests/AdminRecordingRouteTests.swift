import Testing

/// `POST`/`DELETE /api/v1/calls/{id}/recording` over real HTTP: the JSON
/// answer, and the back end's 404 and 409 passed through with their reasons.
@Suite struct AdminRecordingRouteTests {
    let routes = AdminRoutesTests()

    @Test func startAndStopAnswerTheCallTheStateAndThePath() async throws {
        try await routes.withServer { base, _ in
            let started = try await routes.send("POST", base + "/api/v1/calls/wg-1/recording")
            #expect(started == (200, #"{"call_id":"wg-1","path":"/var/rec/wg-1.wav","recording":true}"#))
            let stopped = try await routes.send("DELETE", base + "/api/v1/calls/wg-1/recording")
            #expect(stopped == (200, #"{"call_id":"wg-1","path":"/var/rec/wg-1.wav","recording":false}"#))
        }
    }

    @Test func anUnknownCallIs404AConflictIs409AndNoTokenIs401() async throws {
        try await routes.withServer { base, _ in
            let unknown = try await routes.send("POST", base + "/api/v1/calls/wg-9/recording")
            #expect(unknown == (404, #"{"error":"no live call wg-9"}"#))
            let opus = try await routes.send("POST", base + "/api/v1/calls/wg-opus/recording")
            #expect(opus == (409, #"{"error":"pass-through call: no decoded audio to record"}"#))
            let anonymous = try await routes.send("DELETE", base + "/api/v1/calls/wg-1/recording", token: nil)
            #expect(anonymous.0 == 401)
        }
    }
}
