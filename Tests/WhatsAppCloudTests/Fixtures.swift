import Foundation
import Logging
import Testing
@testable import WhatsAppCloud

/// Loads golden JSON fixtures from the test bundle.
enum Fixtures {
    /// The raw bytes of `Fixtures/<name>`.
    static func data(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
        return try Data(contentsOf: url)
    }

    /// The fixture parsed as JSON.
    static func json(_ name: String) throws -> JSONValue {
        try JSONValue.parse(data(name))
    }

    /// Every fixture file name.
    static func all() throws -> [String] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(".json") }.sorted()
    }

    /// Encodes `value` as the client does and parses it back for a semantic comparison.
    static func encoded(_ value: some Encodable) throws -> JSONValue {
        try JSONValue.parse(GraphJSON.encoder.encode(value))
    }
}

/// A logger that drops everything, so test output stays readable.
let quietLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
