import Foundation
import Logging
import WhatsAppCloud

/// A fault injected into the next Graph requests by the control API.
public enum GraphFault: String, Sendable, Codable, CaseIterable {
    /// Answer 500 with Meta's code 1, changing nothing.
    case serverError = "5xx"
    /// Answer 429 with 138005 and `Retry-After: 1`, changing nothing.
    case rateLimit = "429"
    /// Hang (no answer until ``MetaSimulatorSettings/hangDuration``), changing nothing.
    case timeout
    /// Do the request, then hang: the call may exist although the client timed out.
    case timeoutAfterProcessing = "timeout_after_processing"
    /// Answer with one of Meta's error codes (``SimulatedGraphError/catalog(_:nextAllowed:)``), changing nothing.
    case graphError = "graph_error"
}

/// The simulator's state: calls, permissions, limits, settings and faults. All
/// Graph and control requests go through this actor.
actor MetaSimulatorCore {
    /// The settings in use; numbers onboarded through Embedded Signup join `additionalNumbers`.
    var settings: MetaSimulatorSettings
    /// The simulated users' media.
    let media: any SimulatedUserMedia
    /// Sends the webhooks.
    let dispatcher: WebhookDispatcher
    /// Builds webhook payloads.
    var webhooks: SimulatorWebhooks
    /// The injected clock.
    let now: @Sendable () -> Date
    /// Where the simulator logs.
    let logger: Logger
    /// Every call by wacid.
    var calls: [String: SimulatedCall] = [:]
    /// Permission state per user (digits, or the BSUID of a user without a number).
    var permissions: [String: PermissionStateMachine] = [:]
    /// The users' identities by the same key, as the control API described them.
    var users: [String: SimulatedUser] = [:]
    /// Recent connects by number id, for the rate limit.
    var connectTimes: [String: [Date]] = [:]
    /// Each number's calling settings by phone number id (see ``callingSettings(of:)``).
    var calling: [String: CallingSettings] = [:]
    /// App and WABA subscriptions, and the record of Graph requests.
    var account = SimulatedAccount()
    /// Faults waiting for the next Graph requests (of any action, or of one).
    var faults: [InjectedFault] = []
    /// Media faults waiting for the next calls (MetaSimulatorCore+Faults.swift).
    var mediaFaults: [MediaFault] = []
    /// The sinks of calls whose media is unreachable, by wacid, closed when the call ends.
    var mediaSinks: [String: UDPSink] = [:]
    /// Messages the business sent, as `/control/messages` lists them.
    var sentMessages: [JSONValue] = []
    /// When each user last messaged or called each number (`PHONE_NUMBER_ID|user`).
    var serviceWindows: [String: Date] = [:]
    /// Ring and accept timeouts by wacid.
    var timers: [String: Task<Void, Never>] = [:]
    /// How recording/transcription results are delivered (MetaSimulatorCore+Capture.swift).
    var capturePolicy = CapturePolicy()
    /// Embedded Signup: signups, codes and the new numbers' state.
    var onboarding = SimulatedOnboarding()
    /// Meta's generated SIP digest password of each number by phone number id
    /// (MetaSimulatorCore+SIPCredentials.swift).
    var sipUserPasswords: [String: String] = [:]
    /// SIP calls' state changes, in order, for the SIP-mode Meta.
    let sipEvents: AsyncStream<SimulatedSIPCallEvent>
    /// Where ``sipEvents`` are yielded.
    let sipEventSink: AsyncStream<SimulatedSIPCallEvent>.Continuation

    /// Creates the state.
    init(settings: MetaSimulatorSettings, media: any SimulatedUserMedia, dispatcher: WebhookDispatcher,
         now: @escaping @Sendable () -> Date, logger: Logger) {
        self.settings = settings
        self.media = media
        self.dispatcher = dispatcher
        self.webhooks = SimulatorWebhooks(settings: settings)
        self.now = now
        self.logger = logger
        (sipEvents, sipEventSink) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1024))
        for number in settings.numbers {
            calling[number.phoneNumberID] = Self.initialCalling(for: number, settings: settings)
        }
    }

    /// A Graph request: `segments` is the path split at `/` (`[version, id, edge]`).
    func graph(method: String, segments: [String], query: [String: String], authorization: String?,
               body: [UInt8]) async -> (Int, JSONValue) {
        let (status, body, _) = await graphWithHeaders(method: method, segments: segments, query: query,
                                                       authorization: authorization, body: body)
        return (status, body)
    }

    /// Like ``graph(method:segments:query:authorization:body:)``, plus a `Retry-After` value.
    func graphWithHeaders(method: String, segments: [String], query: [String: String], authorization: String?,
                          body: [UInt8]) async -> (Int, JSONValue, retryAfter: Int?) {
        account.record(method: method, segments: segments, body: body)
        if !isAuthorized(segments: segments, authorization: authorization) {
            return Self.full(Self.answer(SimulatedGraphError.unauthorized))
        }
        let fault = takeFault(for: Self.action(method: method, segments: segments, body: body))
        switch fault?.kind {
        case .serverError?:
            return Self.full(Self.answer(SimulatedGraphError.serverError))
        case .rateLimit?:
            return Self.full(Self.answer(SimulatedGraphError.rateLimit), retryAfter: 1)
        case .timeout?:
            try? await Task.sleep(for: settings.hangDuration)
            return Self.full(Self.answer(SimulatedGraphError.serverError))
        case .timeoutAfterProcessing?:
            let result = route(method: method, segments: segments, query: query, body: body)
            try? await Task.sleep(for: settings.hangDuration)
            return Self.full(result)
        case .graphError?:
            let error = fault?.error ?? SimulatedGraphError.serverError
            logger.info("simulated Graph error injected", metadata: ["code": "\(error.code)"])
            return Self.full(Self.answer(error), retryAfter: fault?.retryAfter)
        case nil:
            return Self.full(route(method: method, segments: segments, query: query, body: body))
        }
    }

    /// Meta's token check: a known number's requests need its own token (190
    /// otherwise); for an unknown id any valid token passes here, and the route answers 100.
    private func isAuthorized(segments: [String], authorization: String?) -> Bool {
        // The code exchange authenticates with client_id and client_secret in the query.
        if segments.count == 3, segments[1] == "oauth" { return true }
        // The app's own edges take the app token `APP_ID|APP_SECRET`.
        if segments.count == 3, segments[1] == settings.appID {
            return authorization == "Bearer \(settings.appID)|\(settings.appSecret)"
        }
        if segments.count >= 2, let number = settings.number(withID: segments[1]) {
            return number.accessToken.map { authorization == "Bearer \($0)" } ?? true
        }
        let tokens = settings.numbers.compactMap(\.accessToken)
        return tokens.count < settings.numbers.count || tokens.contains { authorization == "Bearer \($0)" }
    }

    private func route(method: String, segments: [String], query: [String: String], body: [UInt8]) -> (Int, JSONValue) {
        guard segments.count == 3, segments[0].hasPrefix("v"), Double(segments[0].dropFirst()) != nil else {
            return Self.answer(.invalidParameter("Unknown path components: /\(segments.joined(separator: "/"))"))
        }
        if let answer = onboardingRoute(method: method, segments: segments, query: query, body: body) {
            return answer
        }
        if settings.numbers.contains(where: { $0.wabaID == segments[1] }) || segments[1] == settings.appID {
            return accountRoute(method: method, segments: segments)
        }
        guard let number = settings.number(withID: segments[1]) else {
            return Self.answer(.invalidParameter("Object with ID '\(segments[1])' does not exist"))
        }
        do {
            switch (method, segments[2]) {
            case ("POST", "calls"): return try callAction(Self.parseObject(body), number: number)
            case ("GET", "settings"): return (200, try settingsDocument(of: number, query: query))
            case ("POST", "settings"): return try updateSettings(body, number: number)
            case ("GET", "call_permissions"): return try callPermissions(query)
            case ("POST", "messages"): return try sendMessage(Self.parseObject(body), number: number)
            default:
                return Self.answer(.invalidParameter("Unsupported \(method) request on \(segments[2])"))
            }
        } catch let error as SimulatedGraphError {
            return Self.answer(error)
        } catch {
            return Self.answer(.invalidParameter("\(error)"))
        }
    }

    private func callPermissions(_ query: [String: String]) throws -> (Int, JSONValue) {
        let user = try graphUserKey(to: query["user_wa_id"], recipient: query["recipient"], field: "user_wa_id")
        return (200, try Self.encode(permission(user).snapshot(at: now())))
    }

    /// The permission state a user starts with: none, or (sandbox) permanent.
    func defaultPermission() -> PermissionStateMachine {
        var machine = PermissionStateMachine(limits: settings.permissionLimits)
        if settings.grantPermissionsByDefault { machine.grant(permanent: true, at: now()) }
        return machine
    }

    /// The permission state of `user`.
    func permission(_ user: String) -> PermissionStateMachine {
        permissions[user] ?? defaultPermission()
    }

    /// A status and body with an optional `Retry-After`.
    static func full(_ answer: (Int, JSONValue), retryAfter: Int? = nil) -> (Int, JSONValue, retryAfter: Int?) {
        (answer.0, answer.1, retryAfter)
    }

    /// A status and body for a Meta error.
    static func answer(_ error: SimulatedGraphError) -> (Int, JSONValue) { (error.httpStatus, error.body) }

    /// Parses a request body that must be a JSON object.
    static func parseObject(_ body: [UInt8]) throws -> JSONValue {
        guard let value = try? JSONValue.parse(Data(body)), case .object = value else {
            throw SimulatedGraphError.invalidParameter("body must be a JSON object")
        }
        return value
    }

    /// Any encodable as a ``JSONValue``.
    static func encode(_ value: some Encodable) throws -> JSONValue {
        try JSONValue.parse(GraphJSON.encoder.encode(value))
    }
}
