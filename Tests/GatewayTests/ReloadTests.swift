// Live reload over the harness: the swap points of call control and the SIP
// adapter take a new configuration without touching calls in progress, and
// the reloader refuses a broken file and keeps the running configuration.

import CallControl
import Config
import Foundation
import Logging
import SIP
import TestSupport
import Testing
@testable import Gateway

/// Collects the plans handed to a swap point.
private actor PlanLog {
    var plans: [ConfigReloadPlan] = []
    func add(_ plan: ConfigReloadPlan) { plans.append(plan) }
}

@Suite("Gateway: live reload")
struct ReloadTests {
    @Test("a reload keeps a live call as it is; a new user may call, a removed one may not")
    func liveCallKept() async throws {
        let harness = await GatewayHarness()
        _ = await harness.invite("+14085551234", from: .user("alice"))
        let before = try #require(await harness.control.summaries().first)
        var next = GatewayConfig.test(earlyMedia: .ringback)
        next.users.removeAll { $0.name == "carol" }
        next.users.append(UserConfig(name: "dave", secret: Secret("d"),
                                     policy: DestinationPolicy(allow: [NumberPattern("+*")!]), maxCalls: 1))
        await harness.control.applyConfiguration(next)
        await harness.signaling.apply(next)
        await harness.settle()
        let after = try #require(await harness.control.summaries().first { $0.context.callID == before.context.callID })
        #expect(after.phase == before.phase)
        #expect(harness.stack.commands.contains { if case .reconfigure(let config) = $0 { config == next } else { false } })
        let dave = await harness.invite("+14085550000", from: .user("dave"))
        #expect(harness.stack.responses(on: dave).allSatisfy { $0.status < 300 })
        #expect(harness.journal.matching("wa.connect").count == 2)
        let carol = await harness.invite("+447700900000", from: .user("carol"))
        #expect(harness.stack.responses(on: carol).last?.status == 403)
        #expect(await harness.control.summaries().count == 2)
    }

    @Test("onboarded numbers stay across a reload; config-file numbers follow the file")
    func onboardedNumbersStay() async throws {
        let harness = await GatewayHarness(config: .twoNumbers)
        #expect(await harness.control.addNumber(RuntimeNumberTests.onboarded))
        var next = GatewayConfig.twoNumbers
        next.numbers.removeAll { $0.name == "support" }
        await harness.control.applyConfiguration(next)
        let served = await harness.control.servedNumbers()
        #expect(served.numbers.map(\.name) == ["sales", "acme"])
        #expect(served.runtime == ["333"])
    }

    @Test("a broken file is refused with FILE:LINE, the swap points are not called, the running config stays")
    func brokenFileRefused() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("sip.conf").path
        let valid = "[alice]\ntype = user\nsecret = a\nallow = +*\n"
        try valid.write(toFile: path, atomically: true, encoding: .utf8)
        let running = try ConfigLoader.load(path: path, environment: [:])
        let reloader = ConfigReloader(config: running, environment: { [:] }, logger: Logger(label: "reload-tests"))
        let log = PlanLog()
        await reloader.attach { await log.add($0) }

        try (valid + "[bob]\ntype = user\nallow = +*\n").write(toFile: path, atomically: true, encoding: .utf8)
        let refused = await reloader.reload()
        #expect(refused.outcome == .refused)
        #expect(refused.errors.count == 1)
        #expect(refused.errors.first?.hasPrefix("\(path):5: ") == true)
        #expect(await log.plans.isEmpty)
        #expect(await reloader.running == running)

        try (valid + "[bob]\ntype = user\nsecret = b\nallow = +*\n").write(toFile: path, atomically: true, encoding: .utf8)
        let applied = await reloader.reload()
        #expect(applied.outcome == .applied)
        #expect(applied.applied == ["users"])
        #expect(await log.plans.count == 1)
        #expect(await reloader.running.user(named: "bob") != nil)
        #expect(await reloader.reload().outcome == .unchanged)
        #expect(await log.plans.count == 1)
    }

    @Test("the report encodes as JSON with snake_case keys")
    func reportJSON() throws {
        let report = ReloadReport(outcome: .applied, file: "sip.conf", applied: ["users"],
                                  restartRequired: ["general.listen"])
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(json.contains("\"restart_required\":[\"general.listen\"]"))
        #expect(json.contains("\"outcome\":\"applied\""))
    }
}
