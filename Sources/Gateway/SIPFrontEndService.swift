import Config
import Logging
import SIP
import ServiceLifecycle

/// Runs the SIP stack and forwards what it reports: new INVITEs (already
/// authenticated by the SIP layer) and their dialogs' events to call control
/// through `StackSIPSignaling`, registrations to the store, keepalive answers to
/// the keepalive loop. It decides nothing about calls: dial plan, trunk
/// rewrites, policy, limits and the echo test are call control's. Consumes
/// `SIPStack.events` on one task.
actor SIPFrontEndService: Service {
    let config: GatewayConfig
    let stack: any SIPStackService
    let logger: Logger
    let registrations: RegistrationPersistence?
    /// Call control's SIP side.
    let calls: StackSIPSignaling
    /// The dialogs with Meta's SIP servers (SIP-mode numbers), when wired.
    let meta: MetaSIPCalling?
    var pendingKeepalives: [SIPHandle: RegistrationBinding] = [:]

    init(config: GatewayConfig, stack: any SIPStackService, registrations: RegistrationPersistence?,
         calls: StackSIPSignaling, meta: MetaSIPCalling? = nil, logger: Logger) {
        self.config = config
        self.registrations = registrations
        self.calls = calls
        self.meta = meta
        self.stack = stack
        self.logger = logger
    }

    func run() async throws {
        await registrations?.restore()
        try stack.start()
        let keepalive = config.general.optionsKeepalive.map { interval in
            Task { await self.runKeepalive(every: interval) }
        }
        await withGracefulShutdownHandler {
            for await event in stack.events {
                await handle(event)
            }
        } onGracefulShutdown: { [stack] in
            keepalive?.cancel()
            Task { await stack.shutdown() }
        }
    }

    /// Handles one stack event.
    func handle(_ event: SIPEvent) async {
        if let meta, await meta.handle(event) { return }
        switch event {
        case let .incomingCall(handle, .meta(number), request):
            if let meta { await meta.incomingCall(handle, numberName: number, request) }
        case let .incomingCall(handle, identity, request):
            await calls.incomingCall(handle, identity, request)
        case let .registrationChanged(user, _):
            await registrations?.save(user: user)
        case let .requestResponse(handle, "OPTIONS", status):
            await keepaliveAnswered(handle, status: status)
        case let .dtmf(handle, digit, duration):
            logger.info("DTMF from SIP INFO", metadata: ["handle": "\(handle)", "digit": "\(digit)", "duration_ms": "\(duration)"])
            await calls.event(event)
        default:
            await calls.event(event)
        }
    }
}
