public import Foundation
import NIOSSL
import PostgresNIO

/// Where the shared PostgreSQL store is: `postgres://user:password@host:port/database`
/// with an optional `?sslmode=` of `disable`, `require` (encrypted, server not
/// verified, as libpq's) or `verify-full` (encrypted, certificate and host name
/// verified). Without `sslmode`, a loopback host gets `disable` and any other
/// host `verify-full`: the password never crosses a network in clear by default.
public struct PostgresSettings: Sendable, Equatable, CustomStringConvertible {
    /// How the connection is encrypted.
    public enum TLSMode: String, Sendable, Equatable {
        /// Plain TCP.
        case disable
        /// TLS without verifying the server.
        case require
        /// TLS with the server's certificate and name verified against the system's roots.
        case verifyFull = "verify-full"
    }

    /// The server's host name or address.
    public var host: String
    /// Its port.
    public var port: Int
    /// The role.
    public var username: String
    /// The password (never printed).
    public var password: String?
    /// The database.
    public var database: String
    /// The encryption.
    public var tls: TLSMode
    /// How long a connection attempt may take before the statement fails, in milliseconds.
    public var connectTimeoutMilliseconds: Int64 = 3000

    /// Parses a `postgres://` (or `postgresql://`) URL, or says why it is not one.
    public static func parse(_ text: String) -> Result<PostgresSettings, PostgresURLError> {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(),
              scheme == "postgres" || scheme == "postgresql" else {
            return .failure(PostgresURLError("not a postgres:// URL"))
        }
        guard let host = url.host, !host.isEmpty else { return .failure(PostgresURLError("no host")) }
        guard let username = url.user, !username.isEmpty else { return .failure(PostgresURLError("no user name")) }
        let database = String(url.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { return .failure(PostgresURLError("no database name")) }
        let port = url.port ?? 5432
        guard (1...65535).contains(port) else { return .failure(PostgresURLError("port out of range")) }
        let loopback = host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
        var tls: TLSMode = loopback ? .disable : .verifyFull
        for item in url.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let mode = TLSMode(rawValue: value) else {
                    return .failure(PostgresURLError("sslmode must be disable, require or verify-full"))
                }
                tls = mode
            default:
                return .failure(PostgresURLError("unknown parameter '\(item.name)'"))
            }
        }
        return .success(PostgresSettings(host: host, port: port, username: username,
                                         password: url.password.flatMap { $0.removingPercentEncoding },
                                         database: database, tls: tls))
    }

    /// The URL without its password, for logs.
    public var description: String {
        "postgres://\(username)@\(host):\(port)/\(database)?sslmode=\(tls.rawValue)"
    }

    /// PostgresNIO's configuration for these settings.
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tlsSetting: PostgresConnection.Configuration.TLS
        switch tls {
        case .disable:
            tlsSetting = .disable
        case .require:
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            tlsSetting = .require(try NIOSSLContext(configuration: configuration))
        case .verifyFull:
            tlsSetting = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(host: host, port: port, username: username,
                                                             password: password, database: database, tls: tlsSetting)
        configuration.options.connectTimeout = .milliseconds(connectTimeoutMilliseconds)
        return configuration
    }
}

/// Why a `[storage] postgres` URL was refused.
public struct PostgresURLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The reason.
    public var description: String

    init(_ description: String) { self.description = description }
}
