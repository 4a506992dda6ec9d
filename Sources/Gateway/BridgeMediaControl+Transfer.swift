import CallControl

extension BridgeMediaControl {
    /// Offers the business side again. This build's bridge keeps one business
    /// side for the call's life, so a new offer is refused.
    func reofferBusiness(_ call: CallID, context: CallLogContext) async throws(MediaFailure) -> String {
        throw MediaFailure(.resources, "the bridge cannot change its business side")
    }

    /// Detaches the business side; a bridge with one fixed side keeps it.
    func detachBusiness(_ call: CallID, filler: BusinessFiller, context: CallLogContext) async {}

    /// Holds or mutes a browser side; a SIP side holds by re-INVITE instead.
    func setBusinessMedia(_ call: CallID, _ state: BusinessMediaState, context: CallLogContext) async {}
}
