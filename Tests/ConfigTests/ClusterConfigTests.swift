import Config
import Testing

@Suite struct ClusterConfigTests {
    func load(_ text: String) -> (GatewayConfig?, [String]) {
        do throws(ConfigError) {
            return (try ConfigLoader.parse(text: "[whatsapp]\nmode = sandbox\n" + text, file: "test.conf",
                                           environment: ["S": "a-long-cluster-secret"], baseDirectory: "/tmp"), [])
        } catch {
            return (nil, error.problems.map(\.message))
        }
    }

    @Test func aNodeNeedsPostgresANameAURLAndASecret() {
        let (config, problems) = load("""
            [storage]
            postgres = postgres://wagate:${S}@127.0.0.1:5432/wagate
            [cluster]
            node_id = gw-1
            node_url = http://127.0.0.2:8080
            secret = ${S}
            lease = 8
            """)
        #expect(problems.isEmpty, "\(problems)")
        #expect(config?.cluster?.nodeID == "gw-1" && config?.cluster?.lease == .seconds(8))
        #expect(config?.cluster?.heartbeat == .seconds(2))
        #expect(config?.storage.postgres?.reveal() == "postgres://wagate:a-long-cluster-secret@127.0.0.1:5432/wagate")
    }

    @Test func eachMistakeIsNamed() {
        let (config, problems) = load("""
            [storage]
            postgres = mysql://x
            [cluster]
            node_id = gw 1
            node_url = ftp://x
            secret = short
            heartbeat = 5
            lease = 6
            """)
        #expect(config == nil)
        let text = problems.joined(separator: "\n")
        for expected in ["must be a postgres:// URL", "needs [storage] postgres", "'node_id'", "'node_url'",
                         "'secret' of at least", "at least twice 'heartbeat'"] {
            #expect(text.contains(expected), "\(expected) in \(text)")
        }
    }
}
