// Live reload: re-reads sip.conf, refuses a broken file, and hands the new
// configuration to every holder of a copy of it through its one swap point.
//
// The swap points (attached by the composition root): call control (router,
// admission, per-call settings), the SIP stack (access control's user and
// trunk tables, registrations of removed users), the SIP adapter (targets,
// trunk credentials, trunk health) and the WhatsApp side (Graph clients of
// numbers). Each applies the new values to new work only: a call in progress
// keeps the settings its state machine copied at start.

import Config
import Foundation
import Logging

/// One holder of a copy of the configuration, taking the new effective one.
typealias ConfigSwap = @Sendable (ConfigReloadPlan) async -> Void

/// Re-reads the configuration file and applies what can change live.
actor ConfigReloader {
    /// The file re-read; nil runs on built-in defaults (nothing to re-read).
    let path: String?
    /// The configuration in force.
    private(set) var running: GatewayConfig
    private var swaps: [ConfigSwap] = []
    private let environment: @Sendable () -> [String: String]
    private let logger: Logger

    /// A reloader of `config.sourceFile`, with `config` in force.
    init(config: GatewayConfig, environment: @escaping @Sendable () -> [String: String] = {
        ProcessInfo.processInfo.environment
    }, logger: Logger) {
        path = config.sourceFile
        running = config
        self.environment = environment
        var logger = logger
        logger[metadataKey: "component"] = "reload"
        self.logger = logger
    }

    /// Adds a swap point; called in the order attached on every applied reload.
    func attach(_ swap: @escaping ConfigSwap) {
        swaps.append(swap)
    }

    /// Re-reads the file: refused with its problems (the running configuration
    /// stays), or applied to every swap point. One reload at a time.
    func reload() async -> ReloadReport {
        guard let path else {
            logger.warning("configuration reload refused: running on built-in defaults, no file to re-read")
            return ReloadReport(outcome: .refused, file: nil, errors: ["no configuration file: wagate runs on built-in defaults"])
        }
        let loaded: GatewayConfig
        do {
            loaded = try ConfigLoader.load(path: path, environment: environment())
        } catch {
            let errors = error.problems.map(\.description)
            logger.error("configuration reload refused; the running configuration stays", metadata: [
                "file": "\(path)", "errors": "\(errors.joined(separator: "; "))"])
            return ReloadReport(outcome: .refused, file: path, errors: errors)
        }
        let plan = ConfigReloadPlan(running: running, loaded: loaded)
        if !plan.applied.isEmpty {
            for swap in swaps { await swap(plan) }
            running = plan.effective
        }
        if !plan.restartRequired.isEmpty {
            logger.warning("configuration keys changed that need a restart; their running values stay", metadata: [
                "file": "\(path)", "keys": "\(plan.restartRequired.joined(separator: ","))"])
        }
        logger.info("configuration reloaded", metadata: [
            "file": "\(path)", "applied": "\(plan.applied.joined(separator: ","))",
            "restart_required": "\(plan.restartRequired.joined(separator: ","))"])
        return ReloadReport(outcome: plan.applied.isEmpty ? .unchanged : .applied, file: path,
                            applied: plan.applied, restartRequired: plan.restartRequired)
    }
}
