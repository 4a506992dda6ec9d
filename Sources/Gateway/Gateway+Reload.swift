// Wiring of live reload: each holder of a copy of the configuration gets its
// swap point attached to the reloader, and SIGHUP triggers a reload (what
// systemd's `ExecReload=/bin/kill -HUP $MAINPID` sends). The swap points
// decide what a change means for them; this file only connects them.

import CallControl
import Config
import Foundation
import Logging
import SIP
import ServiceLifecycle
import UnixSignals
import WhatsAppCloud

extension Gateway {
    /// Attaches the swap points, in order: Graph clients first (a new number
    /// can place its first call at once), then call control, the health
    /// service's snapshot, the metrics' number labels (the numbers call control
    /// now serves), then the SIP side and the registrations of removed users.
    func attachReload(control: CallControl, sip: StackSIPSignaling, registrations: RegistrationPersistence,
                      whatsapp: WhatsAppSide, snapshot: ConfigSnapshot, metrics: GatewayMetrics) async {
        let http = whatsapp.httpClient, graphs = whatsapp.graphs, logger = self.logger
        await reloader.attach { plan in
            guard plan.applied.contains("numbers") else { return }
            let config = plan.effective
            for number in config.numbers {
                graphs.set(GraphClient(settings: GraphClientSettings(
                    baseURL: WhatsAppNumberInspector.baseURL(config), apiVersion: config.whatsapp.graphVersion,
                    phoneNumberID: number.phoneNumberID, accessToken: number.accessToken.reveal(),
                    requestTimeout: config.whatsapp.requestTimeout), httpClient: http, logger: logger),
                    for: WhatsAppNumberID(number.phoneNumberID))
            }
        }
        await reloader.attach { plan in await control.applyConfiguration(plan.effective) }
        // The calling health service matches account webhooks to numbers as now configured.
        await reloader.attach { plan in snapshot.replace(plan.effective) }
        await reloader.attach { _ in metrics.follow(numbers: await control.servedNumbers().numbers) }
        await reloader.attach { plan in
            await sip.apply(plan.effective)
            let removed = registrations.registrar.retain(users: Set(plan.effective.users.map(\.name)))
            for user in removed {
                logger.notice("registrations dropped: user removed from the configuration", metadata: ["user": "\(user)"])
                await registrations.save(user: user)
            }
        }
    }
}

/// Reloads the configuration on every SIGHUP until shutdown.
struct ReloadSignalService: Service {
    let reloader: ConfigReloader

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            _ = await reloader.reload()
        }
    }
}
