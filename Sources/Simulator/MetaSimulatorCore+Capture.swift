import Foundation
import WhatsAppCloud

/// Meta-side recording and transcription (Meta's "Call recording" and "Call
/// transcription" pages): the `recording` / `transcription` objects of connect
/// and accept, checked as Meta documents, and the result webhooks after a
/// captured call ends.
extension MetaSimulatorCore {
    /// How the simulator delivers results: after `delay`, or never (`drop`), or
    /// without a media asset (`empty`, which Meta's pages do not describe but a
    /// gateway must survive).
    struct CapturePolicy: Sendable {
        /// `deliver`, `drop` or `empty`.
        var mode = "deliver"
        /// Wait after the terminate webhook.
        var delay: Duration = .milliseconds(200)
    }

    /// Validates the objects of a connect or accept body; returns those present.
    /// Meta names the failures (missing or long `purpose`, unknown language or
    /// status) but not their code: the simulator answers 100, Invalid parameter.
    func checkCapture(_ body: JSONValue) throws -> [String: JSONValue] {
        var objects: [String: JSONValue] = [:]
        for name in ["recording", "transcription"] {
            guard let object = body[name] else { continue }
            guard case .object = object else { throw SimulatedGraphError.invalidParameter("\(name) must be an object") }
            let status = object["status"]?.stringValue ?? ""
            guard status == "ENABLED" || status == "DISABLED" else {
                throw SimulatedGraphError.invalidParameter("\(name).status must be ENABLED or DISABLED")
            }
            if status == "ENABLED" {
                let purpose = object["purpose"]?.stringValue ?? ""
                guard !purpose.isEmpty else {
                    throw SimulatedGraphError.invalidParameter("\(name).purpose is required when status is ENABLED")
                }
                guard purpose.count <= 250 else {
                    throw SimulatedGraphError.invalidParameter("\(name).purpose exceeds 250 characters")
                }
                guard Self.announcementLanguages.contains(object["announcement_language"]?.stringValue ?? "") else {
                    throw SimulatedGraphError.invalidParameter("\(name).announcement_language is not supported")
                }
            }
            objects[name] = object
        }
        return objects
    }

    /// After a captured call that was answered ends: one webhook per enabled object.
    func scheduleCaptureResults(_ call: SimulatedCall) {
        guard call.answeredAt != nil else { return }
        let kinds = ["recording", "transcription"].filter { call.capture[$0]?["status"]?.stringValue == "ENABLED" }
        guard !kinds.isEmpty, capturePolicy.mode != "drop" else { return }
        let policy = capturePolicy
        Task { [weak self] in
            try? await Task.sleep(for: policy.delay)
            guard let self else { return }
            for kind in kinds { await self.sendCaptureResult(call, kind: kind, empty: policy.mode == "empty") }
        }
    }

    private func sendCaptureResult(_ call: SimulatedCall, kind: String, empty: Bool) {
        let number = webhooks.number(of: call)
        let asset: JSONValue = [
            "id": .string(String(UInt64.random(in: 1_000_000_000_000_000...9_999_999_999_999_999))),
            "sha256": .string(Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()),
            "mime_type": kind == "recording" ? "audio/ogg; codecs=opus" : "application/json",
            "url": .string("http://\(settings.host):\(settings.port)/media/\(kind)/\(call.id)"),
        ]
        let payload = webhooks.captureResult(call, user: user(call.user), kind: kind, asset: empty ? nil : asset,
                                             at: now(), number: number)
        logger.info("simulated capture result sent", metadata: ["wacid": "\(call.id)", "kind": "\(kind)"])
        dispatcher.send(payload)
    }

    /// Meta's `announcement_language` values (recording page; the transcription
    /// page lists the same set).
    static let announcementLanguages: Set<String> = ["en", "en_US", "en_AU", "en_CA", "en_GB", "en_IN", "en_NZ", "nl",
                                                     "fr", "de", "hi", "it", "kn", "pt", "es", "es_ES", "te", "vi"]
}

extension SimulatorWebhooks {
    /// A `call_recording_available` (`call_recording.audio`) or
    /// `call_transcription_available` (`call_transcript.document`) item.
    func captureResult(_ call: SimulatedCall, user: SimulatedUser, kind: String, asset: JSONValue?, at now: Date,
                       number: SimulatedNumber) -> JSONValue {
        var item: [String: JSONValue] = [
            "id": .string(call.id), "timestamp": .string(String(Int(now.timeIntervalSince1970))),
            "event": kind == "recording" ? "call_recording_available" : "call_transcription_available",
        ]
        item.merge(user.fields("from")) { _, new in new }
        if kind == "recording" {
            item["call_recording"] = asset.map { ["type": "audio", "audio": $0] } ?? ["type": "audio"]
        } else {
            item["call_transcript"] = asset.map { ["document": $0] } ?? .object([:])
        }
        return envelope(field: "calls", value: ["calls": [.object(item)]], contacts: [], number: number)
    }
}

extension MetaSimulatorCore {
    /// Sets how later results are delivered (`PUT /control/capture/policy`).
    func setCapturePolicy(mode: String, delay: Duration) {
        capturePolicy = CapturePolicy(mode: mode, delay: delay)
    }
}
