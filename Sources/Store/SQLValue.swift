public import NIOCore

/// One bound parameter or one column value, the same for SQLite and PostgreSQL.
/// Times are stored as seconds since 1970 (`float`), flags as 0/1 (`integer`).
public enum SQLValue: Sendable, Equatable {
    /// SQL NULL.
    case null
    /// A 64-bit integer.
    case integer(Int)
    /// A double.
    case float(Double)
    /// Text.
    case text(String)
    /// Bytes (SQLite BLOB, PostgreSQL BYTEA).
    case blob(ByteBuffer)

    /// The value as an integer (a whole float or numeric text converts; anything else is nil).
    public var integer: Int? {
        switch self {
        case .integer(let value): value
        case .float(let value): Int(exactly: value.rounded(.towardZero))
        case .text(let value): Int(value)
        case .null, .blob: nil
        }
    }

    /// The value as a double (integers and numeric text convert).
    public var double: Double? {
        switch self {
        case .float(let value): value
        case .integer(let value): Double(value)
        case .text(let value): Double(value)
        case .null, .blob: nil
        }
    }

    /// The value as text (numbers print as text; bytes and NULL are nil).
    public var string: String? {
        switch self {
        case .text(let value): value
        case .integer(let value): String(value)
        case .float(let value): String(value)
        case .null, .blob: nil
        }
    }

    /// The value's bytes (only a blob has them).
    public var bytes: [UInt8]? {
        if case .blob(let buffer) = self { return Array(buffer.readableBytesView) }
        return nil
    }
}

/// One result row: column values by name (as the query named them, lower case).
public struct SQLRow: Sendable {
    /// The values by column name.
    let values: [String: SQLValue]

    /// Creates a row.
    init(_ values: [String: SQLValue]) { self.values = values }

    /// The named column's value; nil when the row has no such column.
    public func column(_ name: String) -> SQLValue? { values[name] }
}
