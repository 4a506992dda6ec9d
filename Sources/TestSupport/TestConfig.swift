// Test support: one gateway configuration shared by the call-control and
// composition tests. Not shipped.

public import Config

extension GatewayConfig {
    /// alice and bob (any +E164, 2 calls), carol (only +44*, 1 call), trunk pbx (+49*, 1 call),
    /// ring groups sales (simultaneous) and support (sequential, 10 s each).
    public static func test(earlyMedia: EarlyMediaMode = .ringing, sendPermissionRequest: Bool = false,
                     maxCalls: Int? = nil) -> GatewayConfig {
        var config = GatewayConfig()
        let anyNumber = DestinationPolicy(allow: [NumberPattern("+*")!], deny: [NumberPattern("+1900*")!])
        config.users = [
            UserConfig(name: "alice", secret: Secret("a"), policy: anyNumber, maxCalls: 2),
            UserConfig(name: "bob", secret: Secret("b"), policy: anyNumber, maxCalls: 2),
            UserConfig(name: "carol", secret: Secret("c"), policy: DestinationPolicy(allow: [NumberPattern("+44*")!]),
                       maxCalls: 1),
        ]
        config.trunks = [
            TrunkConfig(name: "pbx", host: "192.0.2.10", policy: DestinationPolicy(allow: [NumberPattern("+49*")!]),
                        maxCalls: 1, inboundStrip: 1, inboundPrefix: "00", outboundStrip: 1, outboundPrefix: "0",
                        dial: "100"),
        ]
        config.ringGroups = [
            RingGroupConfig(name: "sales", members: ["alice", "bob"], strategy: .simultaneous),
            RingGroupConfig(name: "support", members: ["alice", "bob"], strategy: .sequential,
                            memberTimeout: .seconds(10)),
        ]
        config.inbound = InboundConfig(target: .user("alice"), routes: [
            InboundRoute(pattern: NumberPattern("+44*")!, target: .group("sales")),
            InboundRoute(pattern: NumberPattern("+33*")!, target: .group("support")),
            InboundRoute(pattern: NumberPattern("+49*")!, target: .trunk("pbx")),
            InboundRoute(pattern: NumberPattern("+7*")!, target: .user("nobody")),
        ], ringTimeout: .seconds(25))
        config.dialplan = DialPlan(internationalPrefix: "00", nationalPrefix: "0", defaultCountryCode: "44")
        config.general.earlyMedia = earlyMedia
        config.general.maxCalls = maxCalls
        config.whatsapp.sendPermissionRequest = sendPermissionRequest
        return config
    }
}
