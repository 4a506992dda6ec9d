import CallControl
import Config

/// The `WhatsAppCalling` call control is given: each call operation goes to the
/// business number's signalling mode, Graph (`GraphWhatsAppCalling`) or Meta's SIP
/// interface (`MetaSIPCalling`). Permission look-ups and permission requests always
/// go through Graph: they are not calling endpoints, and Meta serves them for
/// SIP-mode numbers too.
struct WhatsAppCallingRouter: WhatsAppCalling {
    let graph: any WhatsAppCalling
    let sip: MetaSIPCalling

    func callPermission(for user: WhatsAppUser, number: WhatsAppNumberID, context: CallLogContext)
        async throws(WhatsAppFailure) -> CallPermission {
        try await graph.callPermission(for: user, number: number, context: context)
    }

    func connect(to user: WhatsAppUser, from number: WhatsAppNumberID, offer: String, opaque: String,
                 context: CallLogContext) async throws(WhatsAppFailure) -> WACID {
        guard await sip.isSIPMode(number) else {
            return try await graph.connect(to: user, from: number, offer: offer, opaque: opaque, context: context)
        }
        return try await sip.connect(to: user, from: number, offer: offer, opaque: opaque, context: context)
    }

    /// Meta-side recording and transcription are Graph `connect` options: a SIP-mode
    /// call is placed without them.
    func connect(to user: WhatsAppUser, from number: WhatsAppNumberID, offer: String, opaque: String,
                 capture: MetaCaptureConfig, context: CallLogContext) async throws(WhatsAppFailure) -> WACID {
        guard await sip.isSIPMode(number) else {
            return try await graph.connect(to: user, from: number, offer: offer, opaque: opaque, capture: capture,
                                           context: context)
        }
        return try await sip.connect(to: user, from: number, offer: offer, opaque: opaque, context: context)
    }

    func preAccept(_ call: WACID, number: WhatsAppNumberID, answer: String, context: CallLogContext)
        async throws(WhatsAppFailure) {
        guard await sip.isSIPMode(number) else {
            return try await graph.preAccept(call, number: number, answer: answer, context: context)
        }
        try await sip.preAccept(call, answer: answer)
    }

    func accept(_ call: WACID, number: WhatsAppNumberID, answer: String, context: CallLogContext)
        async throws(WhatsAppFailure) {
        guard await sip.isSIPMode(number) else {
            return try await graph.accept(call, number: number, answer: answer, context: context)
        }
        try await sip.accept(call, answer: answer)
    }

    func accept(_ call: WACID, number: WhatsAppNumberID, answer: String, capture: MetaCaptureConfig,
                context: CallLogContext) async throws(WhatsAppFailure) {
        guard await sip.isSIPMode(number) else {
            return try await graph.accept(call, number: number, answer: answer, capture: capture, context: context)
        }
        try await sip.accept(call, answer: answer)
    }

    func reject(_ call: WACID, number: WhatsAppNumberID, context: CallLogContext) async throws(WhatsAppFailure) {
        guard await sip.isSIPMode(number) else {
            return try await graph.reject(call, number: number, context: context)
        }
        try await sip.reject(call)
    }

    func terminate(_ call: WACID, number: WhatsAppNumberID, context: CallLogContext) async throws(WhatsAppFailure) {
        guard await sip.isSIPMode(number) else {
            return try await graph.terminate(call, number: number, context: context)
        }
        await sip.terminate(call, context: context)
    }

    func sendPermissionRequest(to user: WhatsAppUser, from number: WhatsAppNumberID, message: PermissionRequestMessage,
                               context: CallLogContext) async throws(WhatsAppFailure) {
        try await graph.sendPermissionRequest(to: user, from: number, message: message, context: context)
    }
}
