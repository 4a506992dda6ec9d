// Building the overload keys of [general].

extension ConfigValidator {
    /// Reads the overload keys of `[general]`.
    func buildOverload(_ reader: SectionReader) -> OverloadConfig {
        var overload = OverloadConfig()
        overload.sourceInviteRate = reader.int(
            "source_invite_rate", default: overload.sourceInviteRate, in: 0...100_000, unit: "requests per second")
        overload.sourceRegisterRate = reader.int(
            "source_register_rate", default: overload.sourceRegisterRate, in: 0...100_000, unit: "requests per second")
        overload.trunkInviteRate = reader.int(
            "trunk_invite_rate", default: overload.trunkInviteRate, in: 0...100_000, unit: "requests per second")
        overload.callAttemptRate = reader.int(
            "call_attempt_rate", default: overload.callAttemptRate, in: 0...100_000, unit: "requests per second")
        return overload
    }
}
