// A configured listener address as the HTTP listeners take it.

import Config
import HTTP

extension HTTPListenSettings {
    /// The host and port of a configured `IP:PORT` (`[http] listen`, `[onboarding]`/`[admin]` `bind`).
    init(_ address: SocketAddressSpec) {
        self.init(host: address.host, port: address.port)
    }
}
