import Foundation
import Logging
import Store
import Testing

/// Meta recording/transcription columns of a CDR: requested, then the result by
/// wacid; a later call update never erases a result.
@Suite struct MetaArtifactStoreTests {
    let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test(arguments: StoreBackend.all) func requestedThenAvailableAndCallUpdatesKeepIt(backend: StoreBackend) async throws {
        let store = try await backend.open(logger: quiet)
        var call = CallDetailRecord(callID: "c1", direction: "outbound", wacid: "wacid.A", caller: "alice",
                                    callee: "+447700900123", setupAt: Date(timeIntervalSince1970: 1_800_000_000))
        try await store.saveCall(call)
        try await store.markMetaCaptureRequested(callID: "c1", kinds: [.recording])
        #expect(try await store.call(id: "c1")?.metaRecording == MetaArtifactColumns(status: "requested"))
        let result = MetaArtifactColumns(status: "available", mediaID: "100", url: "https://x/1")
        #expect(try await store.attachMetaArtifact(wacid: "wacid.A", kind: .recording, columns: result))
        try await store.markMetaCaptureRequested(callID: "c1", kinds: [.recording])
        call.endAt = Date(timeIntervalSince1970: 1_800_000_060)
        try await store.saveCall(call)
        let stored = try #require(try await store.call(id: "c1"))
        #expect(stored.metaRecording == result, "neither a later request mark nor a call update erases the result")
        #expect(stored.metaTranscription == MetaArtifactColumns())
        #expect(stored.endAt == call.endAt)
        #expect(try await store.attachMetaArtifact(wacid: "wacid.NONE", kind: .transcription, columns: result) == false)
        try await store.close()
    }
}
