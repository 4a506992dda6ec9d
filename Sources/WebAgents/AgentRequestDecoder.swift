// Reads one text frame into an `AgentRequest`: strict types, bounded sizes,
// unknown keys ignored, unknown types named.

/// Decodes client messages.
public enum AgentRequestDecoder {
    /// The longest `user`, `to`, `call` and request `id`.
    static let maxName = 64
    /// The longest `password` and `token`.
    static let maxCredential = 256

    /// Decodes `bytes` (one text frame). A refusal is an ``AgentError`` carrying the
    /// request's id when it could be read.
    public static func decode(_ bytes: some Collection<UInt8>) -> Result<AgentRequest, AgentError> {
        guard bytes.count <= AgentProtocol.maxMessageBytes else {
            return .failure(AgentError(re: nil, code: .badMessage, message: "message larger than 64 KiB"))
        }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            return .failure(AgentError(re: nil, code: .badMessage, message: "not UTF-8"))
        }
        guard let json = AgentJSON.parse(bytes), case .object = json else {
            return .failure(AgentError(re: nil, code: .badMessage, message: "not a JSON object"))
        }
        var fields = AgentFields(json: json, re: nil)
        do {
            let id = try fields.optionalText("id", max: 32)
            fields.re = id
            let type = try fields.text("type", max: 32)
            return .success(AgentRequest(id: id, message: try message(type, &fields)))
        } catch {
            return .failure(error)
        }
    }

    private static func message(_ type: String, _ fields: inout AgentFields) throws(AgentError) -> AgentClientMessage {
        switch type {
        case "login": return .login(try login(fields))
        case "logout": return .logout
        case "presence": return .presence(try fields.choice("status", default: nil))
        case "history": return .history(limit: try fields.int("limit", default: 20, in: 1...50))
        case "ping": return .ping
        case "candidate": return .candidate
        default:
            guard let request = try callRequest(type, fields) else {
                throw AgentError(re: fields.re, code: .unknownType, message: "unknown type '\(type)'")
            }
            return .call(request)
        }
    }

    private static func login(_ fields: AgentFields) throws(AgentError) -> AgentLoginRequest {
        let version = try fields.int("v", default: nil, in: Int.min...Int.max)
        guard version == AgentProtocol.version else {
            throw AgentError(re: fields.re, code: .unsupportedVersion, message: "this server speaks v 1")
        }
        let presence: AgentPresence = try fields.choice("presence", default: .available)
        if let token = try fields.optionalText("token", max: maxCredential) {
            return AgentLoginRequest(credential: .token(token), presence: presence)
        }
        let user = try fields.text("user", max: maxName)
        let password = try fields.text("password", max: maxCredential, printable: false)
        return AgentLoginRequest(credential: .password(user: user, password: password), presence: presence)
    }

    private static func callRequest(_ type: String, _ fields: AgentFields) throws(AgentError) -> AgentCallRequest? {
        switch type {
        case "dial": return .dial(to: try fields.text("to", max: maxName), sdp: try fields.sdp())
        case "ringing": return .ringing(call: try fields.text("call", max: maxName))
        case "answer": return .answer(call: try fields.text("call", max: maxName), sdp: try fields.sdp())
        case "reject":
            return .reject(call: try fields.text("call", max: maxName), reason: try fields.choice("reason", default: .decline))
        case "hangup": return .hangup(call: try fields.text("call", max: maxName))
        case "dtmf":
            let digits = try fields.text("digits", max: 32)
            guard digits.utf8.allSatisfy({ AgentFields.dtmfDigits.contains($0) }) else {
                throw AgentError(re: fields.re, code: .badMessage, message: "digits must be 0-9 * # A-D")
            }
            return .dtmf(call: try fields.text("call", max: maxName), digits: digits,
                         durationMS: try fields.int("duration_ms", default: 160, in: 40...5000))
        case "hold": return .hold(call: try fields.text("call", max: maxName), on: try fields.bool("on"))
        case "mute": return .mute(call: try fields.text("call", max: maxName), on: try fields.bool("on"))
        case "transfer":
            let to = try fields.optionalText("to", max: maxName)
            let replaces = try fields.optionalText("replaces", max: maxName)
            guard (to == nil) != (replaces == nil) else {
                throw AgentError(re: fields.re, code: .badMessage, message: "transfer takes either 'to' or 'replaces'")
            }
            return .transfer(call: try fields.text("call", max: maxName), to: to, replaces: replaces)
        case "permission.request": return .permissionRequest(to: try fields.text("to", max: maxName))
        default: return nil
        }
    }
}
