// A reloaded configuration: call control's one swap point. The inbound
// router, admission (dial plan, policy, limits, numbers) and the per-call
// settings take the new values; calls in progress keep the settings their
// state machines copied at start, and finish on the number they started on.

public import Config

extension CallControl {
    /// Routes and admits new calls by `config` from now on. Numbers added at
    /// runtime (onboarded) stay unless the file now names the same id; a
    /// config-file number removed from the file takes no new calls.
    public func applyConfiguration(_ config: GatewayConfig) {
        let fileIDs = Set(config.numbers.map(\.phoneNumberID))
        let runtime = router.config.numbers.filter {
            admission.runtimeNumbers.contains($0.phoneNumberID) && !fileIDs.contains($0.phoneNumberID)
        }
        var next = config
        next.numbers = config.numbers + runtime
        router.config = next
        admission.config = next
        admission.runtimeNumbers = Set(runtime.map(\.phoneNumberID))
        settings.applying(config)
        numberState.loggedUnknown.subtract(next.numbers.map { WhatsAppNumberID($0.phoneNumberID) })
        logger.info("call routing reconfigured", metadata: [
            "users": "\(config.users.count)", "trunks": "\(config.trunks.count)",
            "ring_groups": "\(config.ringGroups.count)", "numbers": "\(next.numbers.count)",
            "calls_in_progress": "\(calls.count)"])
    }
}

extension CallSettings {
    /// Takes the values `config` sets (early media, permission request text,
    /// ring timeout, echo answer delay); call control's own timings stay.
    mutating func applying(_ config: GatewayConfig) {
        earlyMedia = config.general.earlyMedia
        sendPermissionRequest = config.whatsapp.sendPermissionRequest
        permissionRequestText = config.whatsapp.permissionRequestText
        ringTimeout = config.inbound.ringTimeout
        echoAnswerDelay = config.general.echoAnswerDelay
        transfer = config.transfer
    }
}
