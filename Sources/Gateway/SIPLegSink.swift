import CallControl

/// Where a signalling adapter reports: the events of the legs call control
/// asked it for, and new calls (an INVITE from a phone or trunk, a browser's
/// `dial`). Call control itself, or `BusinessSignaling` in front of it, which maps
/// its sub-legs back to the leg call control placed.
protocol SIPLegSink: AnyObject, Sendable {
    /// Something happened on `leg`.
    func handleSIP(_ event: SIPLegEvent, on leg: SIPLegID) async
    /// A new call to admit (dial plan, destination policy, limits, permission).
    func handleIncomingInvite(_ invite: IncomingInvite) async
}

extension CallControl: SIPLegSink {}
