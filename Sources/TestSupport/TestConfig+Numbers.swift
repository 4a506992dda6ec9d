// Test support: a configuration with two business numbers, shared by the
// call-control and composition tests. Not shipped.

public import Config

extension GatewayConfig {
    /// Two numbers: `sales` (id 111, +15550100000, the default; max 1 call, 1
    /// connect a minute; rings `[inbound]`, alice) and `support` (id 222,
    /// +15550100001; dial prefix `*2`; rings bob). alice may use both, bob only
    /// the default, trunk pbx (192.0.2.10) both, support first.
    public static let twoNumbers: GatewayConfig = {
        let text = """
            [alice]
            type = user
            secret = a
            allow = +*
            numbers = sales, support

            [bob]
            type = user
            secret = b
            allow = +*

            [pbx]
            type = trunk
            host = 192.0.2.10
            allow = +*
            numbers = support, sales

            [inbound]
            target = user:alice

            [sales]
            type = number
            phone_number_id = 111
            business_number = +15550100000
            max_calls = 1
            call_rate = 1/min

            [support]
            type = number
            phone_number_id = 222
            business_number = +15550100001
            inbound_target = user:bob
            dial_prefix = *2
            """
        do {
            return try ConfigLoader.parse(text: text, file: "sip.conf", environment: [:], baseDirectory: "/nonexistent")
        } catch {
            preconditionFailure("the two-number test configuration is invalid: \(error)")
        }
    }()
}
