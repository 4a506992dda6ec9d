import Foundation
import Hummingbird
import WhatsAppCloud

/// Control routes of the SIP-mode Meta (docs/whatsapp-setup.md#simulator-control-api):
/// a user's SIP call, a busy decline, a number's signalling mode and digest, and ringing.
extension MetaSimulator {
    /// Adds the routes.
    static func addSIPControlRoutes(to router: Router<BasicRequestContext>, core: MetaSimulatorCore,
                                    sip: SimulatedMetaSIP?) {
        router.post("/control/users/:user/sip_call", use: control { body, user in
            guard let sip else { throw SimulatorError.badRequest("the simulator's SIP-mode Meta is not enabled") }
            return try await sip.placeUserCall(user, name: body["name"]?.stringValue,
                                               businessNumber: body["business_number"]?.lenientString).json
        })
        router.post("/control/calls/:id/busy", use: control { _, id in try await core.userRejects(id, busy: true).json })
        router.post("/control/numbers/:id/signaling", use: control { body, id in
            guard let mode = body["signaling"]?.stringValue.flatMap(SimulatedSignaling.init(rawValue:)) else {
                throw SimulatorError.badRequest("signaling must be graph or sip")
            }
            let number = try await core.simulatedNumber(id)
            return try MetaSimulatorCore.encode(PhoneNumberSettings(calling: await core.setSignaling(mode, of: number)))
        })
        router.post("/control/numbers/:id/sip", use: control { body, id in
            try await core.setSIPDigest(of: id, algorithm: body["digest"]?.stringValue,
                                        password: body["password"]?.stringValue)
        })
        router.put("/control/ringing", use: control { body, _ in
            func milliseconds(_ key: String) -> Double? {
                if case .number(let value) = body[key] { return value }
                return nil
            }
            var timing: MetaSimulatorSettings.AnswerTiming?
            if let text = body["answer_timing"]?.stringValue {
                guard let parsed = MetaSimulatorSettings.AnswerTiming(rawValue: text) else {
                    throw SimulatorError.badRequest("answer_timing must be withRinging or afterAccepted")
                }
                timing = parsed
            }
            return try await core.setRinging(autoAnswerMs: milliseconds("auto_answer_ms"),
                                             ringTimeoutMs: milliseconds("ring_timeout_ms"), answerTiming: timing)
        })
        router.get("/control/sip", use: control { _, _ in
            guard let sip else { return ["enabled": false] }
            return await sip.status()
        })
        router.get("/control/sip/certificate", use: control { _, _ in
            guard let pem = await sip?.identity?.certificatePEM else {
                throw SimulatorError.badRequest("the simulator's SIP-mode Meta is not listening")
            }
            return ["pem": .string(pem)]
        })
    }
}

extension SimulatedMetaSIP {
    /// What the control API shows of the SIP side.
    func status() -> JSONValue {
        [
            "enabled": true, "listen": .string(localHostPort), "dialogs": .number(Double(dialogs.count)),
            "alpn_refusals": .number(Double(alpnRefusals)), "outbound_connections": .number(Double(outbound.count)),
        ]
    }
}
