import Config
import Logging
import Media
import NIOCore
import NIOPosix
import SDP
import SIP
import ServiceLifecycle

/// Runs the SIP stack, answers what the SIP side can refuse on its own (numbers
/// outside the dial plan or the caller's policy), and hands calls, including the
/// echo test, to call control. Consumes `SIPStack.events` on one task.
actor SIPFrontEndService: Service {
    let config: GatewayConfig
    let stack: any SIPStackService
    let logger: Logger
    let registrations: RegistrationPersistence?
    /// Call control's SIP side; nil only in tests of the SIP front end alone.
    let calls: StackSIPSignaling?
    var pendingKeepalives: [SIPHandle: RegistrationBinding] = [:]

    init(config: GatewayConfig, stack: any SIPStackService, registrations: RegistrationPersistence?,
         calls: StackSIPSignaling?, logger: Logger) {
        self.config = config
        self.registrations = registrations
        self.calls = calls
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
        switch event {
        case let .incomingCall(handle, identity, request):
            await route(handle, identity, request)
        case let .registrationChanged(user, _):
            await registrations?.save(user: user)
        case let .requestResponse(handle, "OPTIONS", status):
            await keepaliveAnswered(handle, status: status)
        case let .dtmf(handle, digit, duration):
            logger.info("DTMF from SIP INFO", metadata: ["handle": "\(handle)", "digit": "\(digit)", "duration_ms": "\(duration)"])
            await calls?.event(event)
        default:
            await calls?.event(event)
        }
    }

    private func route(_ handle: SIPHandle, _ identity: SIPIdentity, _ request: SIPRequest) async {
        var log = logger
        log[metadataKey: "sip_call_id"] = "\(request.callID)"
        if case .user = identity, let echo = config.general.echoExtension, request.requestUser == echo {
            guard let calls else {
                reject(handle, 503, "Service Unavailable", warning: "the echo test is not available")
                return
            }
            await calls.incomingCall(handle, identity, request, echo: true)
            return
        }
        let policy: DestinationPolicy?
        switch identity {
        case .user(let name): policy = config.user(named: name)?.policy
        case .trunk(let name): policy = config.trunk(named: name)?.policy
        }
        guard let number = config.dialplan.normalize(request.requestUser) else {
            reject(handle, 404, "Not Found", warning: "cannot turn '\(request.requestUser)' into an E.164 number")
            return
        }
        guard policy?.permits(number) == true else {
            log.notice("destination refused by policy", metadata: ["to": "\(number)"])
            reject(handle, 403, "Forbidden", warning: "destination \(number) is not permitted for this caller")
            return
        }
        guard let calls else {
            reject(handle, 503, "Service Unavailable", warning: "WhatsApp calling is not connected")
            return
        }
        await calls.incomingCall(handle, identity, request)
    }

    private func reject(_ handle: SIPHandle, _ status: Int, _ phrase: String, warning: String) {
        let text = warning.replacingOccurrences(of: "\"", with: "'")
        stack.send(.respond(handle, status: status, phrase: phrase, sdp: nil, headers: ["Warning: 399 wagate \"\(text)\""]))
    }
}
