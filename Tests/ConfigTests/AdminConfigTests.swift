import Testing
@testable import Config

/// `[admin]`: off unless present, a required token from the environment, loopback unless allowed.
@Suite("admin section") struct AdminConfigTests {
    static let environment = ["ADMIN_TOKEN": "0123456789abcdef-admin"]

    @Test("absent section: no admin listener")
    func absent() throws {
        #expect(try TestSupport.parse(TestSupport.minimal).admin == nil)
    }

    @Test("defaults to 127.0.0.1:8091; the token comes from ${VAR}")
    func values() throws {
        let admin = try #require(try TestSupport.parse(TestSupport.minimal + "\n[admin]\ntoken = ${ADMIN_TOKEN}\n",
                                                       environment: Self.environment).admin)
        #expect(admin.bind.description == "127.0.0.1:8091")
        #expect(admin.token.reveal() == "0123456789abcdef-admin")
        #expect(admin.allowInsecureBind == false)
    }

    @Test("missing, short and spaced tokens are reported with their lines")
    func tokens() {
        let missing = TestSupport.problems(TestSupport.minimal + "\n[admin]\nbind = 127.0.0.1:9000\n")
        #expect(missing.count == 1 && missing[0].contains("[admin] needs 'token'"))
        let short = TestSupport.problems(TestSupport.minimal + "\n[admin]\ntoken = short\n")
        #expect(short.count == 1 && short[0].contains("'token' of [admin] must be at least 16"))
        let spaced = TestSupport.problems(TestSupport.minimal + "\n[admin]\ntoken = has a space in it ok\n")
        #expect(spaced.count == 1)
        let unknown = TestSupport.problems(TestSupport.minimal + "\n[admin]\ntoken = ${ADMIN_TOKEN}\ntls = yes\n",
                                           environment: Self.environment)
        #expect(unknown.count == 1 && unknown[0].contains("unknown key 'tls' in [admin]"))
    }

    @Test("a non-loopback bind needs allow_insecure_bind")
    func insecureBind() throws {
        let text = TestSupport.minimal + "\n[admin]\ntoken = ${ADMIN_TOKEN}\nbind = 0.0.0.0:8091\n"
        let problems = TestSupport.problems(text, environment: Self.environment)
        #expect(problems.count == 1 && problems[0].contains("not a loopback address"))
        let allowed = try TestSupport.parse(text + "allow_insecure_bind = yes\n", environment: Self.environment)
        #expect(allowed.admin?.allowInsecureBind == true && allowed.admin?.bind.port == 8091)
        #expect(TestSupport.problems(TestSupport.minimal + "\n[admin]\ntoken = ${ADMIN_TOKEN}\nbind = [::1]:9000\n",
                                     environment: Self.environment).isEmpty)
    }

    @Test("a reload names a changed [admin] as needing a restart and keeps the running listener")
    func reload() throws {
        let running = try TestSupport.parse(TestSupport.minimal + "\n[admin]\ntoken = ${ADMIN_TOKEN}\n",
                                            environment: Self.environment)
        let loaded = try TestSupport.parse(TestSupport.minimal + "\n[admin]\ntoken = ${ADMIN_TOKEN}\nbind = 127.0.0.1:9999\n",
                                           environment: Self.environment)
        let plan = ConfigReloadPlan(running: running, loaded: loaded)
        #expect(plan.restartRequired == ["admin"])
        #expect(plan.effective.admin?.bind.port == 8091)
    }
}
