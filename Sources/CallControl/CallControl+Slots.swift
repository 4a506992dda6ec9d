// Cluster-wide limits: what a call asks of the shared call slots, and the
// refusal when one is full (the same answers as the limits counted here).

extension CallControl {
    /// The slot scope of a business number.
    static func numberScope(_ number: WhatsAppNumberID) -> String { "number:\(number.rawValue)" }

    /// The slots an outbound call takes: its business number's `max_calls` and its
    /// caller's (the user's or trunk's) `max_calls`, over every node.
    func slotRequests(number: WhatsAppNumberID, owner: String) -> [CallSlotRequest] {
        var requests = [CallSlotRequest(scope: "owner:\(owner)", limit: limit(ofOwner: owner))]
        if let config = numberConfig(number) {
            requests.append(CallSlotRequest(scope: Self.numberScope(number), limit: config.maxCalls))
        }
        return requests
    }

    /// 503 with Retry-After when the number is full across the cluster; 486 when the
    /// caller is (as for the limits of one node).
    func clusterLimitRefusal(_ scope: String, number: WhatsAppNumberID, origin: SIPOrigin) -> SIPRefusal {
        if scope == Self.numberScope(number), let config = numberConfig(number) {
            counters.countRefusal(number: config.name, limit: .calls)
            return Admission.numberBusy(config, what: "call limit")
        }
        return SIPRefusal(.limit, SIPResponse(status: 486, warning: "\(origin) call limit reached",
                                              reason: FailureMapping.sipReason(486, "Call limit")))
    }
}
