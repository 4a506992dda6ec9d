import CallControl
import Foundation
import NetTypes

/// Call control's `CallRecords` with the call-level metrics taken on the way:
/// every step is counted, then handed to the record keeper (the CDR store)
/// unchanged. The steps are the facts call control already records once, so the
/// metrics and the CDRs cannot disagree about a call's direction, number or cause.
struct MeteredCallRecords: CallRecords {
    /// The record keeper the steps go on to.
    let next: any CallRecords
    /// Where the steps are counted.
    let metrics: GatewayMetrics

    func record(_ event: CallRecordEvent, call: CallID, at time: Date, context: CallLogContext) async {
        switch event {
        case .started(let start): metrics.callStarted(call, direction: start.direction, number: start.number)
        case .answered: metrics.callAnswered(call)
        case .ended(let ending): metrics.callEnded(call, ending: ending)
        case .transferred(let transfer): metrics.transferSettled(transfer)
        case .linkedWhatsApp, .linkedSIP, .permission, .ringing, .answeredBy: break
        }
        await next.record(event, call: call, at: time, context: context)
    }

    func callsInProgress() async -> [OrphanedCall] {
        await next.callsInProgress()
    }

    func metaCaptureRequested(_ kinds: [MetaArtifactKind], call: CallID) async {
        await next.metaCaptureRequested(kinds, call: call)
    }

    func attach(_ artifact: MetaArtifact, known: Bool) async -> MetaArtifactOutcome {
        await next.attach(artifact, known: known)
    }
}
