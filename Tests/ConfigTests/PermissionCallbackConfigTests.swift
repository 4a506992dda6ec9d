// `permission_callback` on users and trunks: off by default, seconds 1-86400 or 'off'.

import Testing
@testable import Config

@Suite("permission_callback")
struct PermissionCallbackConfigTests {
    private static let trunk = """

        [pbx]
        type = trunk
        host = 192.0.2.10
        """

    @Test("off unless set; seconds on users and trunks; 'off' and 0 turn it off")
    func values() throws {
        let absent = try TestSupport.parse(TestSupport.minimal + Self.trunk)
        #expect(absent.user(named: "alice")?.permissionCallback == nil)
        #expect(absent.trunk(named: "pbx")?.permissionCallback == nil)
        let set = try TestSupport.parse(TestSupport.minimal + "\npermission_callback = 900" + Self.trunk
                                        + "\npermission_callback = 86400")
        #expect(set.user(named: "alice")?.permissionCallback == .seconds(900))
        #expect(set.trunk(named: "pbx")?.permissionCallback == .seconds(86_400))
        for off in ["off", "no", "0"] {
            let config = try TestSupport.parse(TestSupport.minimal + "\npermission_callback = \(off)")
            #expect(config.user(named: "alice")?.permissionCallback == nil)
        }
    }

    @Test("a bad value names the file and line")
    func badValues() {
        for bad in ["86401", "-5", "ten", "1.5"] {
            let problems = TestSupport.problems(TestSupport.minimal + "\npermission_callback = \(bad)")
            #expect(problems.count == 1)
            #expect(problems.first?.contains("bad value '\(bad)' for 'permission_callback' in [alice]") == true)
            #expect(problems.first?.hasPrefix("sip.conf:") == true)
        }
    }
}
