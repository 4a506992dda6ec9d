public import AsyncHTTPClient
import Foundation
import NIOCore
public import NIOHTTP1
import NetTypes
public import WhatsAppCloud

/// A client for the simulator's control API, for `wagate simulate …` and tests.
public struct SimulatorControlClient: Sendable {
    /// The simulator's base URL, e.g. `http://127.0.0.1:8081`.
    public var baseURL: String
    /// The HTTP client (owned by the caller).
    let httpClient: HTTPClient

    /// Creates a client.
    public init(baseURL: String, httpClient: HTTPClient = .shared) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.httpClient = httpClient
    }

    /// User `user` (a number, or a BSUID for a user Meta names without one)
    /// calls the business (`businessNumber`, or the first number when nil);
    /// returns the call summary (with `id`). With `sip`, the call goes over
    /// Meta's SIP interface to a SIP-mode number.
    public func userCalls(_ user: String, name: String? = nil, username: String? = nil,
                          businessNumber: String? = nil, sip: Bool = false) async throws -> JSONValue {
        var body: [String: JSONValue] = [:]
        if let name { body["name"] = .string(name) }
        if let username { body["username"] = .string(username) }
        if let businessNumber { body["business_number"] = .string(businessNumber) }
        return try await request(.POST, "/control/users/\(Self.pathUser(user))/\(sip ? "sip_call" : "call")",
                                 body: .object(body))
    }

    /// User `user` sends the business (`businessNumber`, or the first number) a
    /// text: their customer service window opens and a `messages` webhook goes out.
    public func userMessages(_ user: String, text: String = "Hello", businessNumber: String? = nil) async throws
        -> JSONValue {
        var body: [String: JSONValue] = ["text": .string(text)]
        if let businessNumber { body["to"] = .string(businessNumber) }
        return try await request(.POST, "/control/users/\(Self.pathUser(user))/message", body: .object(body))
    }

    /// A user in a control path: a BSUID as it is, a number as digits.
    static func pathUser(_ user: String) -> String {
        BusinessScopedUserID(user) != nil ? user : WhatsAppNumber.digits(user)
    }

    /// Puts Meta's `calling` members of a number (`businessNumber`: display number,
    /// `+E164` or phone_number_id; the first number when nil) as a state Meta would
    /// create, unvalidated; returns the number's settings after.
    public func changeSettings(_ calling: JSONValue, businessNumber: String? = nil) async throws -> JSONValue {
        var body: [String: JSONValue] = ["calling": calling]
        if let businessNumber { body["business_number"] = .string(businessNumber) }
        return try await request(.POST, "/control/settings", body: .object(body))
    }

    /// The user answers, rejects or hangs up (`action` is `answer`, `reject` or `hangup`).
    public func callAction(_ callID: String, _ action: String) async throws -> JSONValue {
        try await request(.POST, "/control/calls/\(callID)/\(action)")
    }

    /// Grants (or, with `accepted: false`, refuses) permission for `user`.
    public func grantPermission(_ user: String, permanent: Bool = false, accepted: Bool = true,
                                notify: Bool = true) async throws -> JSONValue {
        try await request(.POST, "/control/users/\(Self.pathUser(user))/permission", body: [
            "response": accepted ? "accept" : "reject", "permanent": .bool(permanent), "notify": .bool(notify),
        ])
    }

    /// Revokes `user`'s permission silently.
    public func revokePermission(_ user: String) async throws -> JSONValue {
        try await request(.DELETE, "/control/users/\(Self.pathUser(user))/permission")
    }

    /// Fails the next `count` Graph requests with `fault`.
    public func failNext(_ count: Int, with fault: GraphFault) async throws -> JSONValue {
        try await request(.POST, "/control/faults", body: ["count": .number(Double(count)), "kind": .string(fault.rawValue)])
    }

    /// Fails the next `count` requests of `action` (any action when nil) with Meta's error `code`.
    public func failNext(_ count: Int, code: Int, action: String? = nil, retryAfter: Int? = nil) async throws -> JSONValue {
        var body: [String: JSONValue] = ["count": .number(Double(count)), "code": .number(Double(code))]
        if let action { body["action"] = .string(action) }
        if let retryAfter { body["retry_after"] = .number(Double(retryAfter)) }
        return try await request(.POST, "/control/faults", body: .object(body))
    }

    /// Makes the media of the next `count` calls fail with `kind`: `media_unreachable`
    /// or `dtls_fingerprint_mismatch` (docs/whatsapp-setup.md).
    public func failNextMedia(_ count: Int, kind: String) async throws -> JSONValue {
        try await request(.POST, "/control/faults", body: ["count": .number(Double(count)), "kind": .string(kind)])
    }

    /// Every call the simulator knows.
    public func calls() async throws -> JSONValue { try await request(.GET, "/control/calls") }

    /// Holds webhook deliveries.
    public func holdWebhooks() async throws -> JSONValue { try await request(.POST, "/control/webhooks/hold") }

    /// Releases held webhook deliveries, optionally reversed.
    public func releaseWebhooks(reversed: Bool) async throws -> JSONValue {
        try await request(.POST, "/control/webhooks/release", body: ["order": reversed ? "reverse" : "fifo"])
    }

    /// Sends one control request; a non-2xx answer throws ``SimulatorError/controlFailed(status:body:)``.
    public func request(_ method: HTTPMethod, _ path: String, body: JSONValue? = nil) async throws -> JSONValue {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try GraphJSON.encoder.encode(body)))
        }
        let response = try await httpClient.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 22)
        let text = String(buffer: bytes)
        guard (200..<300).contains(response.status.code) else {
            throw SimulatorError.controlFailed(status: Int(response.status.code), body: text)
        }
        return (try? JSONValue.parse(Data(text.utf8))) ?? .string(text)
    }
}
