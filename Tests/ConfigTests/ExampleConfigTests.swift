// The shipped example and the built-in sandbox defaults must always be valid.

import Testing
@testable import Config

@Suite("sip.conf.example and sandbox defaults")
struct ExampleConfigTests {
    @Test("sip.conf.example loads with no environment variables")
    func exampleLoads() throws {
        let config = try ConfigLoader.load(path: TestSupport.examplePath, environment: [:])
        #expect(config.sourceFile == TestSupport.examplePath)
        #expect(config.whatsapp.mode == .sandbox)
        #expect(config.general.listeners.map(\.description) == ["udp:127.0.0.1:5060", "tcp:127.0.0.1:5060"])
        #expect(config.http.listen.description == "127.0.0.1:8080")
        #expect(config.users.map(\.name) == ["alice", "bob"])
        #expect(config.user(named: "alice")?.secret.reveal() == "alice-secret")
        #expect(config.user(named: "bob")?.policy.permits("+14085551234") == true)
        #expect(config.user(named: "alice")?.callerID == CallerID(name: "Alice", number: "1001"))
        #expect(config.ringGroup(named: "sales")?.members == ["alice", "bob"])
        #expect(config.inbound.target == .group("sales"))
        #expect(config.general.echoExtension == "*43")
        #expect(config.storage.databasePath.hasSuffix("/wagate.sqlite"))
        // The sandbox serves two business numbers with different inbound plans.
        #expect(config.numbers.map(\.businessNumber) == ["+15550100000", "+15550100001"])
        #expect(config.inboundPlan(of: config.number(named: "main")).target == .group("sales"))
        #expect(config.inboundPlan(of: config.number(named: "support")).target == .user("bob"))
        #expect(config.user(named: "alice")?.numbers == ["main", "support"])
    }

    @Test("the example trunk matches only its own source port on loopback")
    func exampleTrunkDoesNotCaptureLoopbackPhones() throws {
        let config = try ConfigLoader.load(path: TestSupport.examplePath, environment: [:])
        let pbx = try #require(config.trunk(named: "pbx"))
        #expect(pbx.host == "127.0.0.1" && pbx.port == 5070 && pbx.transport == .udp)
        #expect(pbx.match.map(\.description) == ["127.0.0.1/32"])
        #expect(pbx.dial == WhatsAppConfig.sandboxBusinessNumber)
        #expect(config.trunk(matchingSource: "127.0.0.1", port: 5070)?.name == "pbx")
        #expect(config.trunk(matchingSource: "127.0.0.1", port: 5060) == nil)
        #expect(config.trunk(matchingSource: "127.0.0.1") == nil)
    }

    @Test("every key documented in the example is a real key, and every real key is documented")
    func exampleDocumentsEveryKey() throws {
        let text = try #require(try? readText(TestSupport.examplePath))
        var documented: Set<String> = []
        for line in text.split(whereSeparator: \.isNewline) {
            var body = Substring(line)
            while body.hasPrefix(";") { body = body.dropFirst() }
            guard let equals = body.firstIndex(of: "=") else { continue }
            let key = body[..<equals].trimmingSpaces
            if !key.isEmpty, key.allSatisfy({ $0.isLetter || $0 == "_" }) { documented.insert(key) }
        }
        let all = Set(SectionKind.allCases.flatMap(\.keys))
        #expect(all.subtracting(documented).sorted() == [])
    }

    @Test("docs/configuration.md documents every key")
    func referenceDocumentsEveryKey() throws {
        let reference = try readText(TestSupport.testsDirectory + "/../../docs/configuration.md")
        let missing = Set(SectionKind.allCases.flatMap(\.keys)).filter { !reference.contains("`\($0)`") }
        #expect(missing.sorted() == [])
    }

    @Test("the example loads with cloud mode switched on and credentials from the environment")
    func exampleInCloudMode() throws {
        var text = try readText(TestSupport.examplePath)
        text = text.replacingFirst("mode = sandbox", with: "mode = cloud")
        for key in ["access_token", "app_secret", "verify_token"] {
            text = text.replacingFirst(";\(key) =", with: "\(key) =")
        }
        let environment = ["WA_ACCESS_TOKEN": "EAAG-token", "WA_APP_SECRET": "app-secret", "WA_VERIFY_TOKEN": "verify-me"]
        let config = try TestSupport.parse(text, environment: environment)
        #expect(config.whatsapp.mode == .cloud)
        #expect(config.whatsapp.phoneNumberID == "100000000000001")
        #expect(config.whatsapp.businessNumber == "+15550100000")
        #expect(config.numbers.map { $0.accessToken.reveal() } == ["EAAG-token", "EAAG-token"])
        #expect(config.trunk(named: "pbx")?.dial == "+15550100000")
    }

    @Test("sandboxDefaults is the documented sandbox")
    func sandboxDefaults() {
        let config = ConfigLoader.sandboxDefaults()
        #expect(config.sourceFile == nil)
        #expect(config.whatsapp == .defaults && config.whatsapp.mode == .sandbox)
        #expect(config.general.listeners.map(\.description) == ["udp:127.0.0.1:5060", "tcp:127.0.0.1:5060"])
        #expect(config.http.listen == SocketAddressSpec(host: "127.0.0.1", port: 8080))
        #expect(config.users.map(\.name) == ["alice", "bob"])
        #expect(config.user(named: "bob")?.secret.reveal() == "bob-secret")
        #expect(config.user(named: "alice")?.policy.permits("+447700900123") == true)
        #expect(config.inbound.target == .user("alice"))
        #expect(config.storage.databasePath == "wagate.sqlite")
    }

    @Test("sandboxDefaults equals the same configuration written as a file")
    func sandboxDefaultsMatchEquivalentFile() throws {
        let text = """
            [general]
            listen = udp:127.0.0.1:5060, tcp:127.0.0.1:5060
            [alice]
            type = user
            secret = alice-secret
            allow = +*
            [bob]
            type = user
            secret = bob-secret
            allow = +*
            """
        var parsed = try TestSupport.parse(text, baseDirectory: ".")
        parsed.sourceFile = nil
        #expect(parsed == ConfigLoader.sandboxDefaults())
    }

    @Test("an empty file gives every default")
    func emptyFile() throws {
        let config = try TestSupport.parse("", baseDirectory: "/etc/wagate")
        #expect(config.general == .defaults)
        #expect(config.media == .defaults)
        #expect(config.inbound.target == nil)
        #expect(config.storage.databasePath == "/etc/wagate/wagate.sqlite")
    }

    @Test("an unreadable file is one problem at line 0 with the OS reason")
    func unreadableFile() {
        #expect(throws: ConfigError.self) { try ConfigLoader.load(path: "/nonexistent/sip.conf", environment: [:]) }
        do {
            _ = try ConfigLoader.load(path: "/nonexistent/sip.conf", environment: [:])
        } catch {
            #expect(error.description == "/nonexistent/sip.conf:0: cannot read configuration file: No such file or directory")
        }
    }
}

/// The text of a file, through the loader's own reader.
func readText(_ path: String) throws -> String {
    switch FileAccess.readAll(path) {
    case .success(let bytes): return String(decoding: bytes, as: UTF8.self)
    case .failure(let error): throw error
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces.
    var trimmingSpaces: String { TextScanning.trimmed(self) }

    /// With the first occurrence of `target` replaced.
    func replacingFirst(_ target: String, with replacement: String) -> String {
        var text = String(self)
        guard let range = text.firstRange(of: target) else { return text }
        text.replaceSubrange(range, with: replacement)
        return text
    }
}
