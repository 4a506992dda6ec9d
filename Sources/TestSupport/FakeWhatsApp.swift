// swift-format-ignore-file: AllPublicDeclarationsHaveDocumentation
// (the public members are witnesses of the port protocols, documented there)
// Test support: fakes of call control's ports that append every call to one
// shared journal, so tests can assert on order across ports. Not shipped.

public import CallControl
public import Config
import Foundation

/// What a fake Graph request answers.
public enum GraphBehaviour: Sendable {
    case succeed
    case fail(WhatsAppFailure)
    /// Suspend until ``FakeWhatsApp/release(_:)``.
    case hold
}

public final class FakeWhatsApp: WhatsAppCalling {
    public let journal: Journal
    public let permission = Locked<Result<CallPermission, WhatsAppFailure>>(.success(CallPermission(status: .permanent)))
    public let connectResult = Locked<GraphBehaviour>(.succeed)
    public let behaviours = Locked<[String: WhatsAppFailure]>([:])
    public let nextWACID = Locked(0)
    public let held = Locked<[CheckedContinuation<Result<WACID, WhatsAppFailure>, Never>]>([])

    /// Every permission request sent, in order.
    public let permissionRequests = Locked<[PermissionRequestMessage]>([])
    /// `OPERATION PHONE_NUMBER_ID` of every request, in order: which business number each went through.
    public let numbersUsed = Locked<[String]>([])

    public init(journal: Journal) { self.journal = journal }

    private func note(_ operation: String, _ number: WhatsAppNumberID) {
        numbersUsed.withValue { $0.append("\(operation) \(number.rawValue)") }
    }

    public func callPermission(for user: WhatsAppUser, number: WhatsAppNumberID, context: CallLogContext)
        async throws(WhatsAppFailure) -> CallPermission {
        journal.append("wa.permission \(user)")
        return try permission.current.get()
    }

    public func connect(to user: WhatsAppUser, from number: WhatsAppNumberID, offer: String, opaque: String,
                        context: CallLogContext) async throws(WhatsAppFailure) -> WACID {
        journal.append("wa.connect \(user) \(opaque)")
        note("connect", number)
        switch connectResult.current {
        case .succeed:
            let number = nextWACID.withValue { $0 += 1; return $0 }
            return WACID("wacid.\(number)")
        case .fail(let failure):
            throw failure
        case .hold:
            let result = await withCheckedContinuation { continuation in
                held.withValue { $0.append(continuation) }
            }
            return try result.get()
        }
    }

    /// `connect` or `accept` with what each asked Meta to capture, in order.
    public let captures = Locked<[(operation: String, capture: MetaCaptureConfig)]>([])

    public func connect(to user: WhatsAppUser, from number: WhatsAppNumberID, offer: String, opaque: String,
                        capture: MetaCaptureConfig, context: CallLogContext) async throws(WhatsAppFailure) -> WACID {
        captures.withValue { $0.append(("connect", capture)) }
        return try await connect(to: user, from: number, offer: offer, opaque: opaque, context: context)
    }

    public func accept(_ call: WACID, number: WhatsAppNumberID, answer: String, capture: MetaCaptureConfig,
                       context: CallLogContext) async throws(WhatsAppFailure) {
        captures.withValue { $0.append(("accept", capture)) }
        try await accept(call, number: number, answer: answer, context: context)
    }

    /// Answers the oldest held connect.
    public func release(_ result: Result<WACID, WhatsAppFailure>) {
        let continuation = held.withValue { $0.isEmpty ? nil : $0.removeFirst() }
        continuation?.resume(returning: result)
    }

    public var heldCount: Int { held.current.count }

    /// Per operation: how many more times it fails with its `behaviours` failure (absent: always).
    public let failuresLeft = Locked<[String: Int]>([:])

    private func operation(_ name: String, _ wacid: WACID) throws(WhatsAppFailure) {
        journal.append("wa.\(name) \(wacid)")
        guard let failure = behaviours.current[name] else { return }
        let fails = failuresLeft.withValue { left -> Bool in
            guard let count = left[name] else { return true }
            left[name] = count - 1
            return count > 0
        }
        if fails { throw failure }
    }

    public func preAccept(_ call: WACID, number: WhatsAppNumberID, answer: String, context: CallLogContext)
        async throws(WhatsAppFailure) {
        note("pre_accept", number)
        try operation("pre_accept", call)
    }
    public func accept(_ call: WACID, number: WhatsAppNumberID, answer: String, context: CallLogContext)
        async throws(WhatsAppFailure) {
        note("accept", number)
        try operation("accept", call)
    }
    public func reject(_ call: WACID, number: WhatsAppNumberID, context: CallLogContext) async throws(WhatsAppFailure) {
        note("reject", number)
        try operation("reject", call)
    }
    public func terminate(_ call: WACID, number: WhatsAppNumberID, context: CallLogContext)
        async throws(WhatsAppFailure) {
        note("terminate", number)
        try operation("terminate", call)
    }
    public func sendPermissionRequest(to user: WhatsAppUser, from number: WhatsAppNumberID,
                                      message: PermissionRequestMessage,
                                      context: CallLogContext) async throws(WhatsAppFailure) {
        journal.append("wa.permissionRequest \(user)")
        permissionRequests.withValue { $0.append(message) }
        note("messages", number)
        if let failure = behaviours.withValue({ $0.removeValue(forKey: "messages") }) { throw failure }
    }
}
