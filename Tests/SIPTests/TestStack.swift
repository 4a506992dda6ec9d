// One way for the SIP tests to build a real stack: sandbox mode, one listener,
// and the extra sections a test needs.

import Config
import Logging
import SIP

enum TestStack {
    /// A stack (not started) listening on `listen`, with `general` added to `[general]` and
    /// `sections` appended to its sip.conf, then `adjust`ed.
    static func make(listen: String, sections: String = "", general: String = "",
                     adjust: (inout GatewayConfig) -> Void = { _ in }) throws -> SIPStack {
        let text = """
            [general]
            listen = \(listen)
            \(general)
            [whatsapp]
            mode = sandbox
            \(sections)
            """
        var config = try ConfigLoader.parse(text: text, file: "test.conf", environment: [:], baseDirectory: "/tmp")
        adjust(&config)
        return try SIPStack(settings: SIPStackSettings(config: config), logger: Logger(label: "test"))
    }
}
