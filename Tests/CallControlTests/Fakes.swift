// Fakes of the four ports and a manual clock. Every port call is appended to
// one shared journal as a short line, so tests can assert on order across ports.

import CallControl
import Foundation

/// A lock-protected value.
/// `@unchecked Sendable`: every access goes through `lock`.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withValue<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    var current: Value { withValue { $0 } }
}

/// The ordered record of every port call.
final class Journal: Sendable {
    private let lines = Locked<[String]>([])

    func append(_ line: String) { lines.withValue { $0.append(line) } }
    var all: [String] { lines.current }
    func clear() { lines.withValue { $0.removeAll() } }

    /// Lines starting with `prefix`.
    func matching(_ prefix: String) -> [String] { all.filter { $0.hasPrefix(prefix) } }
    func count(_ prefix: String) -> Int { matching(prefix).count }
    func contains(_ line: String) -> Bool { all.contains(line) }
    /// The index of the first line equal to `line`.
    func index(of line: String) -> Int? { all.firstIndex(of: line) }
}

final class FakeSIP: SIPSignaling {
    let journal: Journal
    let responses = Locked<[(SIPLegID, SIPResponse)]>([])
    let placed = Locked<[OutgoingSIPCall]>([])

    init(journal: Journal) { self.journal = journal }

    func respond(to leg: SIPLegID, with response: SIPResponse, context: CallLogContext) async {
        responses.withValue { $0.append((leg, response)) }
        journal.append("sip.respond \(leg) \(response.status)")
    }
    func placeCall(_ call: OutgoingSIPCall, context: CallLogContext) async {
        placed.withValue { $0.append(call) }
        journal.append("sip.invite \(call.leg) \(call.targets.map(\.description).joined(separator: ","))")
    }
    func cancel(_ leg: SIPLegID, reason: SIPReason?, context: CallLogContext) async {
        journal.append("sip.cancel \(leg)")
    }
    func acknowledge(_ leg: SIPLegID, context: CallLogContext) async { journal.append("sip.ack \(leg)") }
    func hangUp(_ leg: SIPLegID, reason: SIPReason?, context: CallLogContext) async { journal.append("sip.bye \(leg)") }
    func sendDTMF(_ digit: DTMFDigit, on leg: SIPLegID, context: CallLogContext) async {
        journal.append("sip.info \(leg) \(digit.digit)")
    }
    func closeOrphanedDialog(sipCallID: String, context: CallLogContext) async {
        journal.append("sip.closeOrphan \(sipCallID)")
    }

    /// The last response sent on `leg`.
    func lastResponse(_ leg: SIPLegID) -> SIPResponse? { responses.current.last { $0.0 == leg }?.1 }
    /// Final (≥ 200) responses sent on `leg`.
    func finals(_ leg: SIPLegID) -> [SIPResponse] { responses.current.filter { $0.0 == leg && $0.1.status >= 200 }.map(\.1) }
}

final class FakeResolver: SIPTargetResolver {
    let contacts = Locked<[String: [String]]>([:])

    func registeredContacts(ofUser user: String) async -> [String] { contacts.current[user] ?? [] }
}

/// What a fake Graph request answers.
enum GraphBehaviour: Sendable {
    case succeed
    case fail(WhatsAppFailure)
    /// Suspend until ``FakeWhatsApp/release(_:)``.
    case hold
}

final class FakeWhatsApp: WhatsAppCalling {
    let journal: Journal
    let permission = Locked<Result<CallPermission, WhatsAppFailure>>(.success(CallPermission(status: .permanent)))
    let connectResult = Locked<GraphBehaviour>(.succeed)
    let behaviours = Locked<[String: WhatsAppFailure]>([:])
    let nextWACID = Locked(0)
    let held = Locked<[CheckedContinuation<Result<WACID, WhatsAppFailure>, Never>]>([])

    init(journal: Journal) { self.journal = journal }

    func callPermission(for user: String, context: CallLogContext) async throws(WhatsAppFailure) -> CallPermission {
        journal.append("wa.permission \(user)")
        return try permission.current.get()
    }

    func connect(to user: String, offer: String, opaque: String, context: CallLogContext)
        async throws(WhatsAppFailure) -> WACID {
        journal.append("wa.connect \(user) \(opaque)")
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

    /// Answers the oldest held connect.
    func release(_ result: Result<WACID, WhatsAppFailure>) {
        let continuation = held.withValue { $0.isEmpty ? nil : $0.removeFirst() }
        continuation?.resume(returning: result)
    }

    var heldCount: Int { held.current.count }

    /// Per operation: how many more times it fails with its `behaviours` failure (absent: always).
    let failuresLeft = Locked<[String: Int]>([:])

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

    func preAccept(_ call: WACID, answer: String, context: CallLogContext) async throws(WhatsAppFailure) {
        try operation("pre_accept", call)
    }
    func accept(_ call: WACID, answer: String, context: CallLogContext) async throws(WhatsAppFailure) {
        try operation("accept", call)
    }
    func reject(_ call: WACID, context: CallLogContext) async throws(WhatsAppFailure) {
        try operation("reject", call)
    }
    func terminate(_ call: WACID, context: CallLogContext) async throws(WhatsAppFailure) {
        try operation("terminate", call)
    }
    func sendPermissionRequest(to user: String, text: String, context: CallLogContext) async throws(WhatsAppFailure) {
        journal.append("wa.permissionRequest \(user)")
    }
}

final class FakeEcho: EchoMedia {
    let journal: Journal
    let failure = Locked<MediaFailure?>(nil)

    init(journal: Journal) { self.journal = journal }

    func openEcho(_ call: CallID, sipOffer: String?, context: CallLogContext) async throws(MediaFailure) -> String {
        journal.append("echo.open \(call)")
        if let failure = failure.current { throw failure }
        return "echo-answer-\(call)"
    }

    func closeEcho(_ call: CallID, context: CallLogContext) async { journal.append("echo.close \(call)") }
}

final class FakeMedia: MediaControl {
    let journal: Journal
    let failOpen = Locked<MediaFailure?>(nil)

    init(journal: Journal) { self.journal = journal }

    func openOutbound(_ call: CallID, sipOffer: String?, context: CallLogContext)
        async throws(MediaFailure) -> OutboundMediaSession {
        journal.append("media.openOutbound \(call)")
        if let failure = failOpen.current { throw failure }
        return OutboundMediaSession(whatsAppOffer: "wa-offer-\(call)", sipAnswer: "sip-answer-\(call)")
    }
    func openInbound(_ call: CallID, whatsAppOffer: String, context: CallLogContext)
        async throws(MediaFailure) -> InboundMediaSession {
        journal.append("media.openInbound \(call)")
        if let failure = failOpen.current { throw failure }
        return InboundMediaSession(sipOffer: "sip-offer-\(call)", whatsAppAnswer: "wa-answer-\(call)")
    }
    func startWhatsApp(_ call: CallID, remoteAnswer: String?, context: CallLogContext) async {
        journal.append("media.startWhatsApp \(call)")
    }
    func setSIPRemote(_ call: CallID, sdp: String, context: CallLogContext) async {
        journal.append("media.setSIPRemote \(call) \(sdp)")
    }
    func startRingback(_ call: CallID, context: CallLogContext) async { journal.append("media.ringback \(call)") }
    func startBridging(_ call: CallID, context: CallLogContext) async { journal.append("media.bridge \(call)") }
    func sendDTMF(_ digit: DTMFDigit, toward side: MediaSide, call: CallID, context: CallLogContext) async {
        journal.append("media.dtmf \(call) \(side.rawValue) \(digit.digit)")
    }
    func close(_ call: CallID, context: CallLogContext) async { journal.append("media.close \(call)") }
}

final class FakeRecords: CallRecords {
    let events = Locked<[(CallID, CallRecordEvent, CallLogContext)]>([])

    func record(_ event: CallRecordEvent, call: CallID, at time: Date, context: CallLogContext) async {
        events.withValue { $0.append((call, event, context)) }
    }

    /// The endings recorded for `call`.
    func endings(_ call: CallID) -> [CallEnding] {
        events.current.compactMap { entry in
            if entry.0 == call, case .ended(let ending) = entry.1 { return ending }
            return nil
        }
    }

    func events(_ call: CallID) -> [CallRecordEvent] { events.current.filter { $0.0 == call }.map(\.1) }
}

/// A clock that moves only when told; due timers fire in order inside `advance`.
final class ManualClock: CallClock {
    private struct Timer {
        var id: Int
        var due: Date
        var fire: @Sendable () async -> Void
    }

    private let state = Locked<(now: Date, timers: [Timer], nextID: Int)>((Date(timeIntervalSince1970: 1_800_000_000), [], 0))

    var now: Date { state.current.now }

    func schedule(after delay: Duration, _ fire: @escaping @Sendable () async -> Void) -> any CallTimerHandle {
        let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
        let id = state.withValue { state in
            state.nextID += 1
            state.timers.append(Timer(id: state.nextID, due: state.now.addingTimeInterval(seconds), fire: fire))
            return state.nextID
        }
        return Handle(clock: self, id: id)
    }

    fileprivate func cancel(_ id: Int) { state.withValue { $0.timers.removeAll { $0.id == id } } }

    var pendingTimers: Int { state.current.timers.count }

    /// Moves time forward, firing every timer that falls due, in due order.
    func advance(by delay: Duration) async {
        let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
        let target = now.addingTimeInterval(seconds)
        while true {
            let next: Timer? = state.withValue { state in
                guard let index = state.timers.indices.filter({ state.timers[$0].due <= target })
                    .min(by: { state.timers[$0].due < state.timers[$1].due }) else { return nil }
                let timer = state.timers.remove(at: index)
                state.now = timer.due
                return timer
            }
            guard let next else { break }
            await next.fire()
        }
        state.withValue { $0.now = target }
    }

    private struct Handle: CallTimerHandle {
        let clock: ManualClock
        let id: Int
        func cancel() { clock.cancel(id) }
    }
}
