import Foundation

extension CallingSettings {
    /// `calling.sip`: Meta's SIP interface (docs/whatsapp.md#settings-and-permissions).
    public struct SIP: Codable, Sendable, Equatable {
        /// `ENABLED` or `DISABLED`.
        public var status: String?
        /// The business's SIP servers.
        public var servers: [Server]?

        /// Creates SIP settings.
        public init(status: String?, servers: [Server]? = nil) {
            self.status = status
            self.servers = servers
        }

        /// Reads leniently: unreadable servers are skipped.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            status = container.lenientString(.status)
            servers = container.contains(.servers) ? container.lenientArray(Server.self, .servers) : nil
        }

        enum CodingKeys: String, CodingKey { case status, servers }

        /// One SIP server.
        public struct Server: Codable, Sendable, Equatable {
            /// Host name Meta sends INVITEs to.
            public var hostname: String
            /// Port (5061 by default).
            public var port: Int?
            /// `request_uri_user_params`: parameters Meta adds to the Request-URI user part.
            public var requestURIUserParams: [String: String]?

            /// Creates a server entry.
            public init(hostname: String, port: Int? = nil, requestURIUserParams: [String: String]? = nil) {
                self.hostname = hostname
                self.port = port
                self.requestURIUserParams = requestURIUserParams
            }

            /// Reads leniently; a server without a host name does not decode.
            public init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                guard let hostname = container.lenientString(.hostname) else {
                    throw DecodingError.keyNotFound(CodingKeys.hostname, .init(codingPath: [], debugDescription: "hostname"))
                }
                self.hostname = hostname
                port = container.lenientInt(.port)
                requestURIUserParams = container.lenient([String: String].self, .requestURIUserParams)
            }

            enum CodingKeys: String, CodingKey {
                case hostname, port
                case requestURIUserParams = "request_uri_user_params"
            }
        }
    }
}

/// `calling.restrictions` in a settings GET: limits Meta placed on the number,
/// e.g. after too many blocked or unanswered calls (docs/whatsapp.md).
public struct CallingRestrictions: Codable, Sendable, Equatable {
    /// `restrictions_list`.
    public var restrictionsList: [Restriction]

    /// Creates the object.
    public init(restrictionsList: [Restriction]) { self.restrictionsList = restrictionsList }

    /// Reads leniently: unreadable items are skipped.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        restrictionsList = container.lenientArray(Restriction.self, .restrictionsList)
    }

    enum CodingKeys: String, CodingKey { case restrictionsList = "restrictions_list" }

    /// One restriction: its `type` and when it ends (`expiration`, Unix seconds).
    public struct Restriction: Codable, Sendable, Equatable {
        /// E.g. `RESTRICTED_BIZ_INITIATED_CALLING`.
        public var type: String
        /// When it lifts, if Meta says.
        public var expiration: Int?

        /// Creates a restriction.
        public init(type: String, expiration: Int? = nil) {
            self.type = type
            self.expiration = expiration
        }

        /// Reads leniently; an item without a type does not decode.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            guard let type = container.lenientString(.type) else {
                throw DecodingError.keyNotFound(CodingKeys.type, .init(codingPath: [], debugDescription: "type"))
            }
            self.type = type
            expiration = container.lenientInt(.expiration)
        }

        enum CodingKeys: String, CodingKey { case type, expiration }
    }
}
