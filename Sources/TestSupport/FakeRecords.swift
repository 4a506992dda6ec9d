// swift-format-ignore-file: AllPublicDeclarationsHaveDocumentation
// (the public members are witnesses of the port protocols, documented there)
// Test support: fakes of call control's ports that append every call to one
// shared journal, so tests can assert on order across ports. Not shipped.

public import CallControl
public import Foundation

public final class FakeRecords: CallRecords {
    public init() {}

    public let events = Locked<[(CallID, CallRecordEvent, CallLogContext)]>([])
    /// What `callsInProgress` returns: the rows a previous run left open.
    public let inProgress = Locked<[OrphanedCall]>([])

    public func record(_ event: CallRecordEvent, call: CallID, at time: Date, context: CallLogContext) async {
        events.withValue { $0.append((call, event, context)) }
    }

    public func callsInProgress() async -> [OrphanedCall] { inProgress.current }

    /// The endings recorded for `call`.
    public func endings(_ call: CallID) -> [CallEnding] {
        events.current.compactMap { entry in
            if entry.0 == call, case .ended(let ending) = entry.1 { return ending }
            return nil
        }
    }

    public func events(_ call: CallID) -> [CallRecordEvent] { events.current.filter { $0.0 == call }.map(\.1) }
}
