import Foundation

/// The SIP servers of a number with Meta's digest password for each, from
/// `GET /{PHONE_NUMBER_ID}/settings?include_sip_credentials=true`
/// (docs/whatsapp.md#sip-credentials):
///
/// ```json
/// {"calling": {"sip": {"status": "ENABLED", "servers": [
///   {"app_id": 1234, "hostname": "sip.example.com", "port": 5061, "sip_user_password": "…"}]}}}
/// ```
///
/// Meta generates one password per number and app; each server carries the
/// `app_id` of the app that configured it. Read leniently: a server without a
/// host name is skipped. The password never appears in `description`.
public struct SIPCredentials: Sendable, Equatable, Decodable {
    /// `calling.sip.status` (`ENABLED` or `DISABLED`), if Meta sent it.
    public var status: String?
    /// `calling.sip.servers`, in Meta's order.
    public var servers: [Server]

    /// Creates credentials.
    public init(status: String?, servers: [Server]) {
        self.status = status
        self.servers = servers
    }

    /// Reads the whole settings document; anything but `calling.sip` is ignored.
    public init(from decoder: any Decoder) throws {
        let root = try decoder.container(keyedBy: Key.self)
        let calling = try? root.nestedContainer(keyedBy: Key.self, forKey: .calling)
        let sip = try? calling?.nestedContainer(keyedBy: Key.self, forKey: .sip)
        status = sip?.lenientString(.status)
        servers = sip?.lenientArray(Server.self, .servers) ?? []
    }

    private enum Key: String, CodingKey { case calling, sip, status, servers }

    /// The password for this gateway: of the server configured by `appID` when
    /// given and present, else of the server named `domain`, else of the only
    /// server that has one; nil when none fits.
    public func password(appID: String?, domain: String) -> String? {
        let withPassword = servers.filter { $0.password?.isEmpty == false }
        if let appID, let server = withPassword.first(where: { $0.appID == appID }) { return server.password }
        if let server = withPassword.first(where: { $0.hostname.lowercased() == domain.lowercased() }) {
            return server.password
        }
        return withPassword.count == 1 ? withPassword[0].password : nil
    }

    /// One entry of `calling.sip.servers`.
    public struct Server: Sendable, Equatable, Decodable, CustomStringConvertible {
        /// The business's SIP server Meta sends INVITEs to.
        public var hostname: String
        /// Its port, when Meta says.
        public var port: Int?
        /// `app_id`: the app that configured this server (a number in Meta's JSON).
        public var appID: String?
        /// `sip_user_password`: the digest password for this number and app.
        public var password: String?

        /// Creates a server entry.
        public init(hostname: String, port: Int? = nil, appID: String? = nil, password: String? = nil) {
            self.hostname = hostname
            self.port = port
            self.appID = appID
            self.password = password
        }

        /// Reads leniently: host name and port as a settings server reads them (an
        /// entry without a host name does not decode), then the app and password.
        public init(from decoder: any Decoder) throws {
            let server = try CallingSettings.SIP.Server(from: decoder)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(hostname: server.hostname, port: server.port, appID: container.lenientString(.appID),
                      password: container.lenientString(.password))
        }

        enum CodingKeys: String, CodingKey {
            case appID = "app_id"
            case password = "sip_user_password"
        }

        /// Host, port and app, with the password masked.
        public var description: String {
            "\(hostname):\(port.map(String.init) ?? "-") app \(appID ?? "-") password \(password == nil ? "absent" : "***")"
        }
    }
}
