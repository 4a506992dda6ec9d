import CallControl
import Config
import HTTP
import Logging
import ServiceLifecycle
import Store
import WhatsAppCloud

extension Gateway {
    /// With `[onboarding]`: restores the stored numbers into call control and
    /// returns the onboarding listener, and in a cluster the service that follows
    /// the numbers other nodes add and remove; without it, nothing.
    func makeOnboarding(store: GatewayStore, control: CallControl, whatsapp: WhatsAppSide,
                        metrics: GatewayMetrics) async -> [any Service] {
        guard let onboarding = config.onboarding else { return [] }
        let config = self.config, http = whatsapp.httpClient
        var logger = self.logger
        logger[metadataKey: "component"] = "onboarding"
        let graphLogger = logger
        let makeClient: @Sendable (String, String) -> GraphClient = { phoneNumberID, token in
            GraphClient(settings: GraphClientSettings(
                baseURL: WhatsAppNumberInspector.baseURL(config), apiVersion: config.whatsapp.graphVersion,
                phoneNumberID: phoneNumberID, accessToken: token, requestTimeout: config.whatsapp.requestTimeout),
                httpClient: http, logger: graphLogger)
        }
        let service = OnboardingService(config: config, onboarding: onboarding, store: store, control: control,
                                        graphs: whatsapp.graphs, makeClient: makeClient, logger: logger,
                                        metrics: metrics)
        await service.restore()
        let general = config.general
        let authGuard = BearerAuthGuard(
            token: onboarding.token.reveal(), maxFailures: general.authMaxFailures ?? 0,
            window: Double(general.authFailureWindow.components.seconds),
            lockout: Double(general.authLockoutTime.components.seconds))
        let page = OnboardingPage.html(OnboardingPageSettings(
            appID: onboarding.appID, configID: onboarding.configID, sdkURL: onboarding.sdkURL,
            graphVersion: config.whatsapp.graphVersion, dialogOrigin: onboarding.dialogOrigin))
        let server = OnboardingServer(listen: HTTPListenSettings(onboarding.bind),
                                      page: page, guard: authGuard, backend: service, logger: logger)
        guard let cluster = config.cluster else { return [server] }
        return [server, OnboardedNumbersFollower(service: service, every: cluster.heartbeat)]
    }
}

/// In a cluster, reads the stored numbers at every heartbeat so each node serves
/// the numbers onboarded or removed through any node (``OnboardingService/follow()``).
struct OnboardedNumbersFollower: Service, CustomStringConvertible {
    let service: OnboardingService
    let every: Duration
    var description: String { "OnboardedNumbersFollower" }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: every)
                guard !Task.isCancelled else { return }
                await service.follow()
            }
        }
    }
}
