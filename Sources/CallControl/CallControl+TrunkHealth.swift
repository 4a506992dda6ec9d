// Trunks that do not answer the keepalive are left out of inbound routing.

extension SIPTargetResolver {
    /// Every trunk is up unless the resolver tracks trunk health.
    public func isTrunkUp(_ name: String) async -> Bool { true }
}

extension CallControl {
    /// The owner keys (``Admission/ownerKey(_:)``) of the trunks that are down
    /// right now. A down trunk is skipped like a trunk at its call limit: the
    /// plan rings its next stage, and a call with nowhere else to ring is
    /// rejected as having no route (Kamailio's dispatcher and Asterisk's
    /// `qualify` also stop sending to a destination that does not answer).
    func downTrunkOwners() async -> Set<String> {
        var down: Set<String> = []
        for trunk in router.config.trunks where !(await ports.resolver.isTrunkUp(trunk.name)) {
            down.insert(Admission.ownerKey(.trunk(trunk.name)))
        }
        return down
    }
}
