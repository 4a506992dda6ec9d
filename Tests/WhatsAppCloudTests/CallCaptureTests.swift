import Foundation
import NetTypes
import Testing
@testable import WhatsAppCloud

/// Meta's `recording` / `transcription` objects on connect and accept, and the
/// `call_recording_available` / `call_transcription_available` webhooks.
@Suite struct CallCaptureTests {
    static let object = CallCaptureRequest.enabled(purpose: "quality assurance", announcementLanguage: "en_US")

    @Test func connectCarriesTheRecordingObjectAsMetaDocumentsIt() throws {
        let request = CallActionRequest.connect(to: "+14085551234", offer: "v=0", bizOpaqueCallbackData: "c1")
            .capturing(CallCapture(recording: Self.object))
        let bytes = String(decoding: try GraphJSON.encoder.encode(request), as: UTF8.self)
        #expect(bytes.contains(#""recording":{"announcement_language":"en_US","purpose":"quality assurance","status":"ENABLED"}"#)
            || bytes.contains(#""recording":{"status":"ENABLED","purpose":"quality assurance","announcement_language":"en_US"}"#),
            "\(bytes)")
        let encoded = try Fixtures.encoded(request)
        #expect(encoded["recording"] == ["status": "ENABLED", "purpose": "quality assurance",
                                         "announcement_language": "en_US"])
        #expect(encoded["transcription"] == nil)
    }

    @Test func acceptCarriesTheTranscriptionObjectAndNothingWhenDisabled() throws {
        let accept = CallActionRequest.accept(callID: "wacid.X", answer: "v=0")
        let transcribed = try Fixtures.encoded(accept.capturing(CallCapture(transcription: Self.object)))
        #expect(transcribed["transcription"]?["status"]?.stringValue == "ENABLED")
        #expect(transcribed["recording"] == nil)
        let plain = try Fixtures.encoded(accept.capturing(.none))
        #expect(plain["recording"] == nil && plain["transcription"] == nil)
        #expect(plain == (try Fixtures.encoded(accept)), "no capture leaves the accept as it was")
    }

    static func delivery(_ call: String) -> Data {
        Data("""
            {"object":"whatsapp_business_account","entry":[{"id":"900","changes":[{"field":"calls","value":{
            "messaging_product":"whatsapp","metadata":{"phone_number_id":"111","display_phone_number":"15550100000"},
            "calls":[\(call)]}}]}]}
            """.utf8)
    }

    @Test func recordingAvailableDecodesTheAudioAsset() throws {
        let events = try WebhookDecoder.decode(Self.delivery("""
            {"id":"wacid.R","from":"14085551234","timestamp":"1728932177","event":"call_recording_available",
             "call_recording":{"type":"audio","audio":{"id":"1002764438271669","sha256":"Y9vv=",
             "mime_type":"audio/ogg; codecs=opus","url":"https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1"}}}
            """))
        guard case .callArtifact(let event)? = events.first else { Issue.record("\(events)"); return }
        #expect(event.kind == .recording && event.callID == "wacid.R" && event.mediaID == "1002764438271669")
        #expect(event.mimeType == "audio/ogg; codecs=opus" && event.sha256 == "Y9vv=")
        #expect(event.url == "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1")
        #expect(event.metadata.phoneNumberID == "111")
        #expect(events.first?.deduplicationKey == "call.recording:wacid.R")
        #expect(events.first?.kind == "recording_available")
    }

    @Test func transcriptionAvailableDecodesTheDocument() throws {
        let events = try WebhookDecoder.decode(Self.delivery("""
            {"id":"wacid.T","event":"call_transcription_available",
             "call_transcript":{"document":{"id":"77","mime_type":"application/json","url":"https://x/y"}}}
            """))
        guard case .callArtifact(let event)? = events.first else { Issue.record("\(events)"); return }
        #expect(event.kind == .transcription && event.mediaID == "77" && event.url == "https://x/y")
    }

    @Test func hostileFieldsAreDroppedNotTrusted() throws {
        let long = String(repeating: "9", count: 200)
        let events = try WebhookDecoder.decode(Self.delivery("""
            {"id":"wacid.H","event":"call_recording_available",
             "call_recording":{"audio":{"id":"\(long)","url":"javascript:alert(1)","mime_type":{"x":1},"sha256":"a\\u0000b"}}},
            {"id":"wacid.I","event":"call_recording_available","call_recording":"x"},
            {"id":"wacid.J","event":"call_recording_available","call_recording":{"audio":{"id":"../../etc"}}},
            {"event":"call_transcription_available"}
            """))
        #expect(events.count == 3, "an item without an id is dropped")
        for case .callArtifact(let event) in events {
            #expect(event.mediaID == nil && event.url == nil && event.mimeType == nil && event.sha256 == nil,
                    "\(event)")
        }
    }
}

extension CallCaptureTests {
    @Test func metasDocumentedExamplesDecode() throws {
        for (name, kind, id) in [("webhook_call_recording_available.json", MetaArtifactKind.recording, "1002764438271669"),
                                 ("webhook_call_transcription_available.json", .transcription, "1002764438271670")] {
            let events = try WebhookDecoder.decode(try Fixtures.data(name))
            guard case .callArtifact(let event)? = events.first, events.count == 1 else {
                Issue.record("\(name): \(events)")
                continue
            }
            #expect(event.kind == kind && event.mediaID == id && event.callID == "wacid.HBgLMTQxMjYxMzYyNTMVAgASGCBGO")
        }
    }
}
