@testable import WebAgents

/// What a decoded client message promises, and its JSON form for the round trip.
enum AgentRequestCheck {
    /// Every string within the decoder's bounds.
    static func bounds(_ request: AgentRequest) {
        precondition((request.id?.utf8.count ?? 0) <= 32, "id over 32 bytes")
        for (key, value) in fields(request.message) {
            guard case .string(let text) = value else { continue }
            let limit = key == "sdp" ? AgentProtocol.maxSDPBytes : AgentRequestDecoder.maxCredential
            precondition(!text.isEmpty && text.utf8.count <= limit, "'\(key)' outside 1...\(limit) bytes")
        }
    }

    /// The request as a client would send it.
    static func encoded(_ request: AgentRequest) -> AgentJSON {
        var members = fields(request.message)
        members["type"] = .string(request.message.type)
        if let id = request.id { members["id"] = .string(id) }
        return .object(members)
    }

    private static func fields(_ message: AgentClientMessage) -> [String: AgentJSON] {
        switch message {
        case .login(let login):
            var members: [String: AgentJSON] = ["v": .number(Double(AgentProtocol.version)), "presence": .string(login.presence.rawValue)]
            switch login.credential {
            case .token(let token): members["token"] = .string(token)
            case .password(let user, let password): members["user"] = .string(user); members["password"] = .string(password)
            }
            return members
        case .logout, .ping, .candidate: return [:]
        case .presence(let presence): return ["status": .string(presence.rawValue)]
        case .history(let limit): return ["limit": .number(Double(limit))]
        case .call(let request): return fields(request)
        }
    }

    private static func fields(_ request: AgentCallRequest) -> [String: AgentJSON] {
        var members: [String: AgentJSON] = [:]
        if let call = request.call { members["call"] = .string(call) }
        switch request {
        case .dial(let to, let sdp): members["to"] = .string(to); members["sdp"] = .string(sdp)
        case .answer(_, let sdp): members["sdp"] = .string(sdp)
        case .reject(_, let reason): members["reason"] = .string(reason.rawValue)
        case .dtmf(_, let digits, let duration): members["digits"] = .string(digits); members["duration_ms"] = .number(Double(duration))
        case .hold(_, let on), .mute(_, let on): members["on"] = .bool(on)
        case .transfer(_, let to, let replaces):
            if let to { members["to"] = .string(to) }
            if let replaces { members["replaces"] = .string(replaces) }
        case .permissionRequest(let to): members["to"] = .string(to)
        case .ringing, .hangup: break
        }
        return members
    }
}
