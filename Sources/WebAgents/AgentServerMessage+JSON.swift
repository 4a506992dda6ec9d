// Server messages as JSON objects: snake_case keys, absent optionals left out.

extension AgentServerMessage {
    /// The message as one JSON text frame.
    public var text: String { json.text }

    /// The message as a JSON object.
    public var json: AgentJSON {
        var object = AgentObject(type: type)
        switch self {
        case .ok(let re, let call): object.set("re", re); object.set("call", call)
        case .error(let error):
            object.set("re", error.re); object.set("code", error.code.rawValue)
            object.set("message", error.message); object.set("retry_after", error.retryAfter)
        case .welcome(let welcome): welcome.fill(&object)
        case .incoming(let incoming): incoming.fill(&object)
        case .progress(let call, let status, let sdp): object.set("call", call); object.set("status", status); object.set("sdp", sdp)
        case .answered(let call, let sdp): object.set("call", call); object.set("sdp", sdp)
        case .cancelled(let call, let reason): object.set("call", call); object.set("reason", reason.rawValue)
        case .ended(let ended):
            object.set("call", ended.call); object.set("reason", ended.reason); object.set("by", ended.by)
            object.set("sip_status", ended.sipStatus); object.set("detail", ended.detail)
        case .held(let call, let on), .muted(let call, let on): object.set("call", call); object.members["on"] = .bool(on)
        case .permission(let notice): notice.fill(&object)
        case .transfer(let notice):
            object.set("call", notice.call); object.set("state", notice.state); object.set("to", notice.to)
            object.set("sip_status", notice.sipStatus)
        case .presence(let presence): object.set("status", presence.rawValue)
        case .history(let calls): object.members["calls"] = .array(calls.map(\.json))
        case .bye(let reason): object.set("reason", reason.rawValue)
        case .pong: break
        }
        return .object(object.members)
    }

    /// The message's `type`.
    public var type: String {
        switch self {
        case .ok: "ok"
        case .error: "error"
        case .welcome: "welcome"
        case .incoming: "incoming"
        case .progress: "progress"
        case .answered: "answered"
        case .cancelled: "cancelled"
        case .ended: "ended"
        case .held: "held"
        case .muted: "muted"
        case .permission: "permission"
        case .transfer: "transfer"
        case .presence: "presence"
        case .history: "history"
        case .bye: "bye"
        case .pong: "pong"
        }
    }
}

/// A JSON object under construction; nil values are left out.
struct AgentObject {
    /// The members so far.
    var members: [String: AgentJSON]

    /// An object with its `type`.
    init(type: String) { members = ["type": .string(type)] }

    /// An empty object.
    init() { members = [:] }

    /// Sets a string member unless nil.
    mutating func set(_ key: String, _ value: String?) { if let value { members[key] = .string(value) } }

    /// Sets a number member unless nil.
    mutating func set(_ key: String, _ value: Int?) { if let value { members[key] = .number(Double(value)) } }
}

extension AgentWelcome {
    fileprivate func fill(_ object: inout AgentObject) {
        object.members["v"] = .number(Double(AgentProtocol.version))
        object.set("user", user); object.set("name", name); object.set("token", token)
        object.set("expires_at", expiresAt); object.set("session", session); object.set("presence", presence.rawValue)
        object.set("max_calls", maxCalls)
        object.members["numbers"] = .array(numbers.map { .string($0) })
        object.members["calls"] = .array(calls.map { .object(["call": .string($0.call), "state": .string($0.state)]) })
    }
}

extension AgentIncoming {
    fileprivate func fill(_ object: inout AgentObject) {
        object.set("call", call); object.set("sdp", sdp); object.set("direction", direction)
        object.members["from"] = from.json
        object.members["to"] = to.json
        if ctaPayload != nil || deeplinkPayload != nil {
            var cta = AgentObject()
            cta.set("payload", ctaPayload); cta.set("deeplink", deeplinkPayload)
            object.members["cta"] = .object(cta.members)
        }
        object.set("referred_by", referredBy); object.set("replaces", replaces)
        object.members["auto_answer"] = .bool(autoAnswer)
    }
}

extension AgentParty {
    fileprivate var json: AgentJSON {
        var object = AgentObject()
        object.set("number", number); object.set("bsuid", bsuid); object.set("username", username); object.set("name", name)
        return .object(object.members)
    }
}

extension AgentPermissionNotice {
    fileprivate func fill(_ object: inout AgentObject) {
        object.set("to", to); object.set("status", status)
        object.members["can_request"] = .bool(canRequest)
        object.members["request_sent"] = .bool(requestSent)
        object.set("expires_at", expiresAt); object.set("retry_after", retryAfter)
    }
}

extension AgentHistoryEntry {
    fileprivate var json: AgentJSON {
        var object = AgentObject()
        object.set("started_at", startedAt); object.set("direction", direction); object.set("peer", peer)
        object.set("peer_name", peerName); object.set("duration_s", durationSeconds); object.set("outcome", outcome)
        return .object(object.members)
    }
}
