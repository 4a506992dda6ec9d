import Foundation
import Simulator
import Testing
import WhatsAppCloud

/// Meta-side recording and transcription in the simulator: the objects of
/// connect and accept checked as Meta documents them, kept on the call, and the
/// result webhooks after an answered captured call.
@Suite struct SimulatorCaptureTests {
    let user = "+447700900123"
    static let enabled = CallCaptureRequest.enabled(purpose: "quality assurance", announcementLanguage: "en_US")

    @Test func badObjectsAreRefusedWithInvalidParameter() async throws {
        try await Harness.run { harness in
            await harness.simulator.grantPermission(to: user, notify: false)
            let bad: [CallCaptureRequest] = [
                CallCaptureRequest(status: "ENABLED", announcementLanguage: "en_US"),
                CallCaptureRequest(status: "ENABLED", purpose: String(repeating: "p", count: 251),
                                   announcementLanguage: "en_US"),
                CallCaptureRequest(status: "ENABLED", purpose: "qa", announcementLanguage: "tlh"),
                CallCaptureRequest(status: "ON"),
            ]
            for object in bad {
                do {
                    _ = try await harness.client.connect(to: WhatsAppRecipient(user), offer: Harness.sdp(),
                                                         capture: CallCapture(transcription: object))
                    Issue.record("accepted \(object)")
                } catch let error as WhatsAppCloudError {
                    #expect(error.graphError?.code == 100 && error.graphError?.httpStatus == 400, "\(object)")
                }
            }
            #expect(try await harness.control.calls()["calls"]?.elements.isEmpty == true, "no call was created")
        }
    }

    @Test func anAnsweredRecordedCallReportsItsRecordingAfterTheTerminate() async throws {
        try await Harness.run { harness in
            await harness.simulator.grantPermission(to: user, notify: false)
            let id = try await harness.client.connect(to: WhatsAppRecipient(user), offer: Harness.sdp(),
                                                      capture: CallCapture(recording: Self.enabled))
            let shown = try await harness.simulator.call(id)
            #expect(shown.capture["recording"]?["status"]?.stringValue == "ENABLED")
            #expect(shown.capture["transcription"] == nil)
            _ = try await harness.next(2)
            _ = try await harness.simulator.userAnswers(id)
            _ = try await harness.simulator.userHangsUp(id)
            let events = try await harness.next(3)
            #expect(events.map(\.kind).suffix(2) == ["terminate", "recording_available"], "\(events.map(\.kind))")
            guard case .callArtifact(let artifact)? = events.last else { return }
            #expect(artifact.callID == id && artifact.kind == .recording && artifact.mediaID != nil)
        }
    }
}
