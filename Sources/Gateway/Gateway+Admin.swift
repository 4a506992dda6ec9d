import CallControl
import Config
import HTTP
import Logging
import SIP
import ServiceLifecycle
import Store

extension Gateway {
    /// With `[admin]`: the admin listener, with the web console; without it, nothing.
    func makeAdmin(store: GatewayStore, control: CallControl, media: BridgeMediaControl,
                   registrar: Registrar, reloader: ConfigReloader) -> [any Service] {
        guard let admin = config.admin else { return [] }
        var logger = self.logger
        logger[metadataKey: "component"] = "admin"
        let general = config.general
        let authGuard = BearerAuthGuard(
            token: admin.token.reveal(), maxFailures: general.authMaxFailures ?? 0,
            window: Double(general.authFailureWindow.components.seconds),
            lockout: Double(general.authLockoutTime.components.seconds))
        let console = Self.consoleRoutes(store: store, guard: authGuard, logger: logger)
        let backend = AdminService(reloader: reloader, control: control, media: media, registrar: registrar, store: store)
        return [AdminServer(listen: HTTPListenSettings(admin.bind),
                            guard: authGuard, backend: backend, extra: { console.register(on: $0) }, logger: logger)]
    }
}
