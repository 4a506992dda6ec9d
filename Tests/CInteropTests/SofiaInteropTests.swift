import CSofiaSIP
import CSofiaShims
import Testing

/// Sofia-SIP: an su_root, and a nua bound to 127.0.0.1 on a free port, created
/// and shut down through the tag-list shims. Runs on the test's own thread, which
/// is the only one touching the root here.
@Suite(.serialized) struct SofiaInteropTests {
    @Test func rootAndNUACreateAndShutDown() throws {
        #expect(su_init() == 0)
        defer { su_deinit() }
        let root = try #require(su_root_create(nil))
        defer { su_root_destroy(root) }
        #expect(!String(cString: sofia_nua_version()).isEmpty, "NUA_VERSION is the nua API version, e.g. 2.0")

        final class Flag { var shutdown = false }
        let flag = Flag()
        let callback: nua_callback_f = { event, status, _, _, magic, _, _, _, _ in
            if event == nua_r_shutdown, status >= 200, let magic {
                Unmanaged<Flag>.fromOpaque(magic).takeUnretainedValue().shutdown = true
            }
        }
        // nua copies the URL before returning; the C string need only live for the call.
        let nua: OpaquePointer? = "sip:127.0.0.1:*".withCString { url in
            let list = [sofia_nutag_url(url), sofia_nutag_media_enable(0), sofia_tag_end()]
            return list.withUnsafeBufferPointer {
                sofia_nua_create(root, callback, Unmanaged.passUnretained(flag).toOpaque(), $0.baseAddress)
            }
        }
        let stack = try #require(nua)
        nua_shutdown(stack)
        var steps = 0
        while !flag.shutdown && steps < 500 {
            _ = su_root_step(root, 10)
            steps += 1
        }
        #expect(flag.shutdown)
        nua_destroy(stack)
    }
}
