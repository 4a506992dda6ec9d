import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import ServiceLifecycle
import Simulator
import WhatsAppCloud

/// `wagate simulate`: runs the Meta Cloud API simulator standalone (`serve`, the
/// default) or drives a running one through its control API (`call`, `answer`, …).
/// The control API is documented in docs/whatsapp-setup.md.
struct SimulateCommand: AsyncParsableCommand {
    /// The subcommand's name and help.
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run a Meta Cloud API simulator, or drive a running one.",
        subcommands: [Serve.self, Call.self, Answer.self, Reject.self, Hangup.self, Grant.self, Revoke.self, Message.self,
                      Fail.self, Calls.self, HoldWebhooks.self, ReleaseWebhooks.self],
        defaultSubcommand: Serve.self)

    /// Where the control API is: the standalone simulator or a sandbox gateway.
    struct Target: ParsableArguments {
        @Option(name: [.customLong("simulator"), .customLong("gateway")],
                help: "Base URL of the simulator's control API.")
        var url = "http://127.0.0.1:8081"

        var client: SimulatorControlClient { SimulatorControlClient(baseURL: url) }

        /// Prints a control API answer as JSON.
        func print(_ value: JSONValue) throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
        }
    }

    /// Runs the simulator until SIGINT/SIGTERM.
    struct Serve: AsyncParsableCommand {
        /// The subcommand's name and help.
        static let configuration = CommandConfiguration(abstract: "Run the simulator (Graph API + control API).")

        /// `--log-level`.
        @OptionGroup var global: GlobalOptions
        @Option(help: "Address to bind.") var host = "127.0.0.1"
        @Option(help: "Port to bind (0 picks one).") var port = 8081
        @Option(help: "The simulated business phone number id.") var phoneNumberID = "100000000000001"
        @Option(help: "The simulated business number (digits).") var displayPhoneNumber = "15550001111"
        @Option(help: "The simulated WhatsApp Business Account id.") var wabaID = "200000000000002"
        @Option(help: "The simulated Meta app id (GET /{APP_ID}/subscriptions).") var appID = "300000000000003"
        @Option(help: "App secret that signs webhooks (default: $WAGATE_APP_SECRET or 'sandbox-secret').")
        var appSecret: String?
        @Option(help: "Bearer token Graph requests must carry (default: accept any).") var accessToken: String?
        @Option(help: "The gateway's webhook URL, e.g. http://127.0.0.1:8080/webhooks/whatsapp.") var webhookURL: String?
        @Option(help: "Delay before each webhook delivery, in ms.") var webhookDelayMs = 0
        @Option(help: "Extra copies of every webhook delivery.") var webhookDuplicates = 0
        @Flag(help: "Swap consecutive webhook deliveries.") var webhookReorder = false
        @Option(help: "When a business call's SDP answer is sent: withRinging or afterAccepted.")
        var answerTiming = "withRinging"
        @Flag(help: "Answer every permission request with 'accept' at once.") var autoAcceptPermission = false
        @Option(help: "Seconds a business call rings before it ends unanswered.") var ringTimeout = 60
        @Option(help: "Seconds a user call waits for accept before it ends.") var acceptTimeout = 60
        @Option(help: "The simulated users' media: tone:HZ (a real WebRTC leg playing a tone), cheap[:HZ] (the tone pre-encoded once, nothing decoded: for load runs), echo, or none (SDP only).")
        var media = "tone:440"
        @Option(help: "RTP port range for the simulated users' media, e.g. 40000-40999.") var mediaPorts = "40000-40999"
        @Option(help: "Meta's audio.additional_codecs for the number: pcmu,pcma (G.711 beside Opus). Default: Opus only.")
        var additionalCodecs = ""
        @Flag(help: "Every user has granted permanent call permission (sandbox, load tests).") var grantAll = false
        @Option(help: "Simulated users answer business calls after this many ms of ringing (default: never).")
        var autoAnswerMs: Int?
        @Option(help: "Business-initiated connects allowed per minute before 138005 (Meta-like default 60).")
        var connectsPerMinute = 60
        @Option(name: .customLong("number"),
                help: "Another business number served: PHONE_NUMBER_ID:DIGITS[:WABA_ID[:TOKEN]]. Repeatable.")
        var numbers: [String] = []
        @Option(name: .customLong("template"),
                help: "A message template: NAME[:LANGUAGE[:STATUS[:PHONE_NUMBER_ID]]], STATUS APPROVED (default), PENDING, REJECTED or PAUSED. Repeatable.")
        var templates: [String] = []
        @Option(help: "The two-step verification PIN /register accepts for onboarded numbers (default: any 6 digits).")
        var registrationPin: String?
        /// The SIP-mode Meta's options.
        @OptionGroup var sip: SIPOptions

        /// Parses `PHONE_NUMBER_ID:DIGITS[:WABA_ID[:TOKEN]]`.
        static func number(_ text: String) throws -> SimulatedNumber {
            let parts = text.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 2, parts[0].allSatisfy(\.isNumber), !parts[0].isEmpty,
                  parts[1].allSatisfy(\.isNumber), !parts[1].isEmpty else {
                throw ValidationError("--number must be PHONE_NUMBER_ID:DIGITS[:WABA_ID[:TOKEN]], e.g. 100000000000002:15550100001")
            }
            return SimulatedNumber(phoneNumberID: parts[0], displayPhoneNumber: parts[1],
                                   wabaID: parts.count > 2 && !parts[2].isEmpty ? parts[2] : "200000000000002",
                                   accessToken: parts.count > 3 ? parts[3] : nil)
        }

        /// Runs the subcommand.
        func run() async throws {
            var logger = global.bootstrapLogging()
            logger[metadataKey: "component"] = "simulator"
            guard let timing = MetaSimulatorSettings.AnswerTiming(rawValue: answerTiming) else {
                throw ValidationError("--answer-timing must be withRinging or afterAccepted")
            }
            let secret = appSecret ?? ProcessInfo.processInfo.environment["WAGATE_APP_SECRET"] ?? "sandbox-secret"
            let settings = MetaSimulatorSettings(
                host: host, port: port, phoneNumberID: phoneNumberID, displayPhoneNumber: displayPhoneNumber,
                wabaID: wabaID, accessToken: accessToken, appSecret: secret, webhookURL: webhookURL,
                delivery: WebhookDeliveryPolicy(delay: .milliseconds(webhookDelayMs), duplicates: webhookDuplicates,
                                                reorder: webhookReorder),
                ringTimeout: .seconds(ringTimeout), acceptTimeout: .seconds(acceptTimeout), answerTiming: timing,
                autoAcceptPermissionRequests: autoAcceptPermission)
            var tuned = settings
            tuned.grantPermissionsByDefault = grantAll
            tuned.autoAnswerAfter = autoAnswerMs.map { .milliseconds($0) }
            tuned.maxConnectsPerWindow = connectsPerMinute
            tuned.appID = appID
            tuned.additionalCodecs = additionalCodecs.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
            tuned.additionalNumbers = try numbers.map(Self.number)
            tuned.templates = try templates.map { text in
                guard let template = SimulatedTemplate(option: text) else {
                    throw ValidationError("--template must be NAME[:LANGUAGE[:STATUS[:PHONE_NUMBER_ID]]], e.g. call_request:en_US")
                }
                return template
            }
            tuned.registrationPIN = registrationPin
            try sip.apply(to: &tuned)
            // Webhooks all go to one gateway: allow more than AsyncHTTPClient's default 8 connections to it.
            var httpConfiguration = HTTPClient.Configuration()
            httpConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
            let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
            let simulator = MetaSimulator(settings: tuned, media: try userMedia(logger: logger), httpClient: http,
                                          logger: logger)
            let group = ServiceGroup(configuration: .init(
                services: [simulator], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            Task {
                if let bound = await simulator.port.value() {
                    logger.info("simulator listening", metadata: [
                        "graph.base_url": "http://\(host):\(bound)", "webhook.url": "\(webhookURL ?? "-")",
                    ])
                }
                if tuned.metaSIP.enabled, let bound = try? await simulator.sipPort.wait() {
                    logger.info("simulator SIP listening", metadata: ["sip.listen": "\(tuned.metaSIP.host):\(bound)"])
                }
            }
            do {
                try await group.run()
            } catch {
                try? await http.shutdown()
                throw error
            }
            try? await http.shutdown()
        }
    }

    /// `call <user>`: the user calls the business.
    struct Call: AsyncParsableCommand {
        /// The subcommand's name and help.
        static let configuration = CommandConfiguration(abstract: "A WhatsApp user calls the business.")
        /// Where the control API is.
        @OptionGroup var target: Target
        @Argument(help: "The user's number, e.g. +447700900123, or a BSUID (US.1349…) for a user with a username.")
        var user: String
        @Option(help: "The user's profile name.") var name: String?
        @Option(help: "The user's WhatsApp username.") var username: String?
        @Option(name: .customLong("to"), help: "The business number called (+E164 or phone_number_id). Default: the first.")
        var businessNumber: String?
        @Flag(help: "Call over Meta's SIP interface (the number must be in SIP mode).") var sip = false

        /// Runs the subcommand.
        func run() async throws {
            try target.print(try await target.client.userCalls(user, name: name, username: username,
                                                               businessNumber: businessNumber, sip: sip))
        }
    }

    /// `answer <wacid>`: the user answers a business call.
    struct Answer: AsyncParsableCommand {
        /// The subcommand's name and help.
        static let configuration = CommandConfiguration(abstract: "The user answers a ringing business call.")
        /// Where the control API is.
        @OptionGroup var target: Target
        @Argument(help: "The call's wacid.") var callID: String

        /// Runs the subcommand.
        func run() async throws { try target.print(try await target.client.callAction(callID, "answer")) }
    }

    /// `reject <wacid>`: the user declines a business call.
    struct Reject: AsyncParsableCommand {
        /// The subcommand's name and help.
        static let configuration = CommandConfiguration(abstract: "The user declines a ringing business call.")
        /// Where the control API is.
        @OptionGroup var target: Target
        @Argument(help: "The call's wacid.") var callID: String

        /// Runs the subcommand.
        func run() async throws { try target.print(try await target.client.callAction(callID, "reject")) }
    }

    /// `hangup <wacid>`: the user hangs up.
    struct Hangup: AsyncParsableCommand {
        /// The subcommand's name and help.
        static let configuration = CommandConfiguration(abstract: "The user hangs up a call.")
        /// Where the control API is.
        @OptionGroup var target: Target
        @Argument(help: "The call's wacid.") var callID: String

        /// Runs the subcommand.
        func run() async throws { try target.print(try await target.client.callAction(callID, "hangup")) }
    }

    /// `grant <user>`: the user allows business calls.
    struct Grant: AsyncParsableCommand {
        /// The subcommand's name and help.
        static let configuration = CommandConfiguration(abstract: "The user grants call permission (7 days or permanent).")
        /// Where the control API is.
        @OptionGroup var target: Target
        @Argument(help: "The user's number.") var user: String
        @Flag(help: "A permanent permission.") var permanent = false
        @Flag(help: "Refuse instead of grant.") var refuse = false
        @Flag(help: "Do not send the call_permission_reply webhook.") var silent = false

        /// Runs the subcommand.
        func run() async throws {
            try target.print(try await target.client.grantPermission(
                user, permanent: permanent, accepted: !refuse, notify: !silent))
        }
    }

    /// `revoke <user>`: the permission ends silently.
    struct Revoke: AsyncParsableCommand {
        /// The subcommand's name and help.
        static let configuration = CommandConfiguration(abstract: "Revoke a user's call permission (no webhook).")
        /// Where the control API is.
        @OptionGroup var target: Target
        @Argument(help: "The user's number.") var user: String

        /// Runs the subcommand.
        func run() async throws { try target.print(try await target.client.revokePermission(user)) }
    }

    /// `fail <count>`: the next Graph requests fail.
    struct Fail: AsyncParsableCommand {
        /// The subcommand's name and help.
        static let configuration = CommandConfiguration(abstract: "Fail the next N Graph requests.")
        /// Where the control API is.
        @OptionGroup var target: Target
        @Argument(help: "How many requests.") var count = 1
        @Option(help: "5xx, 429, timeout or timeout_after_processing.") var kind = "5xx"
        @Option(help: "Answer this Meta error code instead (e.g. 131030), with Meta's HTTP status and texts.")
        var code: Int?
        @Option(help: "Only fail requests of this action (connect, call_permissions, messages, pre_accept, …).")
        var action: String?

        /// Runs the subcommand.
        func run() async throws {
            if let code {
                try target.print(try await target.client.failNext(count, code: code, action: action))
                return
            }
            guard let fault = GraphFault(rawValue: kind), fault != .graphError else {
                throw ValidationError("unknown --kind \(kind)")
            }
            try target.print(try await target.client.failNext(count, with: fault))
        }
    }

    /// `calls`: list the simulator's calls.
    struct Calls: AsyncParsableCommand {
        /// The subcommand's name and help.
        static let configuration = CommandConfiguration(abstract: "List the simulator's calls.")
        /// Where the control API is.
        @OptionGroup var target: Target

        /// Runs the subcommand.
        func run() async throws { try target.print(try await target.client.calls()) }
    }

    /// `hold-webhooks`: queue webhooks instead of sending them.
    struct HoldWebhooks: AsyncParsableCommand {
        /// The subcommand's name and help.
        static let configuration = CommandConfiguration(abstract: "Hold webhook deliveries.")
        /// Where the control API is.
        @OptionGroup var target: Target

        /// Runs the subcommand.
        func run() async throws { try target.print(try await target.client.holdWebhooks()) }
    }

    /// `release-webhooks`: send the held webhooks.
    struct ReleaseWebhooks: AsyncParsableCommand {
        /// The subcommand's name and help.
        static let configuration = CommandConfiguration(abstract: "Send held webhook deliveries.")
        /// Where the control API is.
        @OptionGroup var target: Target
        @Flag(help: "Send them newest first.") var reverse = false

        /// Runs the subcommand.
        func run() async throws { try target.print(try await target.client.releaseWebhooks(reversed: reverse)) }
    }
}
