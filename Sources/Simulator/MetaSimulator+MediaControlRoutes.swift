import Hummingbird
import Media
import WhatsAppCloud

/// `GET /control/calls/:id/media`: what the simulated user's media leg has
/// counted for a call, so a test can tell that audio keeps arriving (silence
/// frames while the business holds count too) without decoding it itself.
extension MetaSimulator {
    /// Adds the media statistics route.
    static func addMediaControlRoutes(to router: Router<BasicRequestContext>, core: MetaSimulatorCore) {
        router.get("/control/calls/:id/media", use: control { _, id in
            _ = try await core.call(id)
            guard let statistics = await core.media.statistics(callID: id) else {
                return ["live": false]
            }
            return mediaJSON(statistics)
        })
    }

    /// The counters as the control API shows them.
    static func mediaJSON(_ statistics: WebRTCLegStatistics) -> JSONValue {
        [
            "live": true, "codec": .string(statistics.codec),
            "packets_received": .number(Double(statistics.packetsReceived)),
            "packets_sent": .number(Double(statistics.packetsSent)),
            "packets_lost": .number(Double(statistics.packetsLost)),
            "srtp_failures": .number(Double(statistics.srtpFailures)),
        ]
    }
}
