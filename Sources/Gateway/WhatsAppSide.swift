import AsyncHTTPClient
import CallControl
import Config
import HTTP
import Logging
import Media
import NIOCore
import SDP
import ServiceLifecycle
import Simulator
import Store
import WhatsAppCloud

/// Everything that talks to Meta, built from `[whatsapp]` and `[http]`: the
/// Graph API client, the signed-webhook receiver (deliveries stored in SQLite
/// before the 200) and its event stream, and in sandbox mode the built-in Meta
/// simulator (Graph API, signed webhooks and simulated users with real WebRTC
/// media) that the client and the receiver are pointed at.
struct WhatsAppSide: Sendable {
    /// One Graph client per business number, sharing `httpClient`.
    let graphs: GraphClients
    let events: WebhookEventBroadcaster
    let services: [any Service]
    let httpClient: HTTPClient
    /// The simulator's control API base URL in sandbox mode.
    let simulatorURL: String?

    static func make(config: GatewayConfig, store: GatewayStore, ports: RTPPortAllocator,
                     group: any EventLoopGroup, timings: SetupTimings, metrics: GatewayMetrics,
                     counters: NumberCounters, listener: WebhookListenerOptions = WebhookListenerOptions(),
                     router: (HTTPClient) -> (any WebhookRouting)? = { _ in nil },
                     logger: Logger) throws -> WhatsAppSide {
        let whatsapp = config.whatsapp
        var httpConfiguration = HTTPClient.Configuration()
        httpConfiguration.connectionPool.idleTimeout = .seconds(30)
        // Every Graph request goes to one host; AsyncHTTPClient's default of 8
        // concurrent HTTP/1.1 connections per host would queue calls at ~100/s.
        httpConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        let http = HTTPClient(eventLoopGroupProvider: .shared(group), configuration: httpConfiguration)
        let events = WebhookEventBroadcaster()
        var processor = WebhookProcessor(
            settings: WebhookSettings(path: config.http.webhookPath, verifyToken: whatsapp.verifyToken.reveal(),
                                      appSecret: whatsapp.appSecret.reveal()),
            store: store, sink: TimedWebhookSink(next: events, timings: timings), logger: logger)
        processor.observe = { metrics.webhook($0, count: $1) }
        processor.router = router(http)
        let receiver = try WebhookServer(listen: HTTPListenSettings(config.http.listen),
                                         processor: processor, logger: logger,
                                         metrics: {
                                             let text = timings.exposition() + store.health.exposition() + counters.exposition()
                                             guard let node = config.cluster?.nodeID else { return text }
                                             return Array(PrometheusNodeLabel.apply(String(decoding: text, as: UTF8.self),
                                                                                    node: node).utf8)
                                         },
                                         options: listener)
        var services: [any Service] = [receiver]
        var baseURL = whatsapp.graphURL
        var simulatorURL: String?
        if whatsapp.mode == .sandbox {
            let simulator = makeSimulator(config: config, ports: ports, group: group, http: http, logger: logger)
            services.append(simulator)
            baseURL = "http://\(whatsapp.simulatorListen.host):\(whatsapp.simulatorListen.port)"
            simulatorURL = baseURL
        }
        var graphs: [WhatsAppNumberID: GraphClient] = [:]
        for number in config.numbers {
            graphs[WhatsAppNumberID(number.phoneNumberID)] = GraphClient(
                settings: GraphClientSettings(baseURL: baseURL, apiVersion: whatsapp.graphVersion,
                                              phoneNumberID: number.phoneNumberID, accessToken: number.accessToken.reveal(),
                                              requestTimeout: whatsapp.requestTimeout),
                httpClient: http, logger: logger)
        }
        return WhatsAppSide(graphs: GraphClients(graphs), events: events, services: services, httpClient: http,
                            simulatorURL: simulatorURL)
    }

    private static func makeSimulator(config: GatewayConfig, ports: RTPPortAllocator, group: any EventLoopGroup,
                                      http: HTTPClient, logger: Logger) -> MetaSimulator {
        let whatsapp = config.whatsapp
        let receiverHost = ["0.0.0.0", "::"].contains(config.http.listen.host) ? "127.0.0.1" : config.http.listen.host
        let webhookURL = "http://\(receiverHost):\(config.http.listen.port)\(config.http.webhookPath)"
        // The simulator serves every configured number, each with its own id, WABA,
        // token and starting additional_codecs.
        let numbers = config.settingsTargets().map { target in
            var number = SimulatedNumber(
                phoneNumberID: target.phoneNumberID, displayPhoneNumber: String(target.businessNumber.dropFirst()),
                wabaID: target.wabaID ?? WhatsAppConfig.sandboxWABAID, accessToken: target.accessToken.reveal(),
                additionalCodecs: target.additionalCodecs.map(\.metaCodecName))
            if let configured = config.numbers.first(where: { $0.phoneNumberID == target.phoneNumberID }) {
                (number.signaling, number.sip) = simulatedSIP(of: configured)
            }
            return number
        }
        let primary = numbers.first ?? SimulatedNumber(
            phoneNumberID: whatsapp.phoneNumberID, displayPhoneNumber: whatsapp.businessNumberDigits,
            wabaID: WhatsAppConfig.sandboxWABAID, accessToken: whatsapp.accessToken.reveal())
        var settings = MetaSimulatorSettings(
            host: whatsapp.simulatorListen.host, port: whatsapp.simulatorListen.port,
            phoneNumberID: primary.phoneNumberID, displayPhoneNumber: primary.displayPhoneNumber,
            wabaID: primary.wabaID, accessToken: primary.accessToken, appSecret: whatsapp.appSecret.reveal(),
            webhookURL: webhookURL)
        settings.additionalNumbers = Array(numbers.dropFirst())
        settings.primarySignaling = primary.signaling
        settings.primarySIP = primary.sip
        settings.metaSIP = simulatedMetaSIP(config)
        // Sandbox: each number's configured permission template is approved.
        settings.templates = config.numbers.compactMap { number in
            number.permissionTemplate.map {
                SimulatedTemplate(name: $0.name, language: $0.language, phoneNumberID: number.phoneNumberID)
            }
        }
        settings.registrationPIN = config.onboarding?.registrationPIN?.reveal()
        // Sandbox: dialling any number works at once: permission is granted and the
        // simulated user picks up after two seconds of ringing.
        settings.grantPermissionsByDefault = true
        settings.additionalCodecs = primary.additionalCodecs ?? []
        settings.autoAnswerAfter = .seconds(2)
        let behaviour: WebRTCSimulatedUserMedia.Behaviour = switch whatsapp.simulatorMedia {
        case .echo: .echo
        case .tone(let hertz): .tone(hertz)
        case .cheapTone(let hertz):
            (try? PreEncodedTone(frequency: hertz)).map { WebRTCSimulatedUserMedia.Behaviour.preEncodedTone($0) } ?? .tone(hertz)
        }
        let codecs = Self.simulatedUserCodecs(config)
        let webRTC = WebRTCSimulatedUserMedia(behaviour: behaviour, host: "127.0.0.1", ports: ports, group: group,
                                              logger: logger, additionalCodecs: codecs)
        // SIP-mode numbers with srtp = sdes are answered by SDES media of the same behaviour.
        let media = KeyExchangeRoutedMedia(
            dtls: webRTC, sdes: SDESSimulatedUserMedia(behaviour: behaviour, host: "127.0.0.1", ports: ports, group: group,
                                                       logger: logger, additionalCodecs: codecs))
        var simulatorLogger = logger
        simulatorLogger[metadataKey: "component"] = "simulator"
        return MetaSimulator(settings: settings, media: media, httpClient: http, logger: simulatorLogger)
    }
}

extension WhatsAppSide {
    /// The G.711 laws the simulated users can talk: every law some number has in
    /// its `additional_codecs`, each once.
    static func simulatedUserCodecs(_ config: GatewayConfig) -> [AudioCodec] {
        var laws: [AudioCodec] = []
        for law in config.numbers.flatMap({ $0.additionalCodecs.compactMap(\.g711) }) where !laws.contains(law) {
            laws.append(law)
        }
        return laws
    }
}

/// Shuts the HTTP client down when graceful shutdown starts. Listed last, so the
/// service group stops it first: its idle keep-alive connections would otherwise
/// hold the webhook server's graceful shutdown open.
struct HTTPClientShutdown: Service, CustomStringConvertible {
    let client: HTTPClient
    var description: String { "HTTPClientShutdown" }

    func run() async throws {
        try? await gracefulShutdown()
        try? await client.shutdown()
    }
}
