// Transfer helpers over the call control harness: a connected inbound call,
// a REFER on a leg, and the CDR rows of transfers.

import Config
import Foundation
import TestSupport
@testable import CallControl

extension Harness {
    /// A harness whose transfers use `fallback` and ring 30 s.
    static func transfer(_ fallback: TransferFallback = .returnToTransferor,
                         extensionTrunk: String? = nil) -> Harness {
        var settings = CallSettings(config: .test())
        settings.transfer.fallback = fallback
        settings.transfer.extensionTrunk = extensionTrunk
        return Harness(settings: settings)
    }

    /// An inbound call from Zoe answered by alice: its id and alice's leg.
    func connectedInbound(_ wacid: String = "wacid.in1") async -> (call: String, leg: SIPLegID)? {
        guard let call = await inboundCall(wacid) else { return nil }
        let leg = SIPLegID("\(call)/leg1")
        await sipEvent(.answered(sdp: "alice-answer", sipCallID: "alice-dialog"), on: leg)
        return (call, leg)
    }

    /// A REFER on `leg` (blind to `target`, or attended with `replaces`) from alice.
    func refer(_ target: String?, on leg: SIPLegID, replaces: TransferReplaces? = nil) async {
        await sipEvent(.transferRequested(TransferRequest(target: target, replaces: replaces, referredBy: "alice")),
                       on: leg)
    }

    /// The transfer rows recorded for `call`, in order.
    func transferRows(_ call: String) -> [TransferRecord] {
        records.events(CallID(call)).compactMap { event in
            if case .transferred(let record) = event { return record }
            return nil
        }
    }

    /// The INVITE placed on `leg`.
    func placed(_ leg: String) -> OutgoingSIPCall? { sip.placed.current.last { $0.leg.rawValue == leg } }
}
