import Foundation

/// A bencode value (the dictionary format of rtpengine's ng control protocol).
enum Bencode {
    case string([UInt8])
    case integer(Int)
    case list([Bencode])
    /// Keys in the order given: rtpengine does not require them sorted.
    case dictionary([(String, Bencode)])

    /// A text string value.
    static func text(_ value: String) -> Bencode { .string(Array(value.utf8)) }

    /// The value as text, when it is a string.
    var text: String? {
        if case .string(let bytes) = self { return String(decoding: bytes, as: UTF8.self) }
        return nil
    }

    /// The value under `key`, when this is a dictionary.
    subscript(key: String) -> Bencode? {
        if case .dictionary(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }

    /// The encoded bytes.
    var encoded: [UInt8] {
        switch self {
        case .string(let bytes): Array("\(bytes.count):".utf8) + bytes
        case .integer(let value): Array("i\(value)e".utf8)
        case .list(let items): [UInt8(ascii: "l")] + items.flatMap(\.encoded) + [UInt8(ascii: "e")]
        case .dictionary(let pairs):
            [UInt8(ascii: "d")] + pairs.flatMap { Bencode.text($0.0).encoded + $0.1.encoded } + [UInt8(ascii: "e")]
        }
    }

    /// Decodes one value from `bytes` starting at `index`, advancing it; nil on malformed input.
    static func decode(_ bytes: [UInt8], _ index: inout Int) -> Bencode? {
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "i"):
            guard let end = bytes[index...].firstIndex(of: UInt8(ascii: "e")),
                let value = Int(String(decoding: bytes[(index + 1)..<end], as: UTF8.self))
            else { return nil }
            index = end + 1
            return .integer(value)
        case UInt8(ascii: "l"), UInt8(ascii: "d"):
            let isList = bytes[index] == UInt8(ascii: "l")
            index += 1
            var items: [Bencode] = []
            while index < bytes.count, bytes[index] != UInt8(ascii: "e") {
                guard let item = decode(bytes, &index) else { return nil }
                items.append(item)
            }
            index += 1
            if isList { return .list(items) }
            guard items.count % 2 == 0 else { return nil }
            return .dictionary(stride(from: 0, to: items.count, by: 2).map { (items[$0].text ?? "", items[$0 + 1]) })
        default:
            guard let colon = bytes[index...].firstIndex(of: UInt8(ascii: ":")),
                let length = Int(String(decoding: bytes[index..<colon], as: UTF8.self)), length >= 0,
                colon + 1 + length <= bytes.count
            else { return nil }
            index = colon + 1 + length
            return .string(Array(bytes[(colon + 1)..<index]))
        }
    }
}

/// Errors talking to rtpengine.
struct NGError: Error, CustomStringConvertible {
    /// What failed.
    let description: String
}

/// A client of rtpengine's ng control protocol over UDP on 127.0.0.1: each request is a cookie, a space
/// and a bencoded dictionary; the reply carries the same cookie. Blocking, one request at a time (call
/// set-up only, never per packet).
final class NGClient {
    private let socket: Int32
    private var cookie = 0
    /// Tells this client's cookies from an earlier client's: rtpengine answers a cookie it has seen in the
    /// last 30 s or so with its cached reply (its retransmission handling), so a second client counting from 1
    /// again would be handed the first one's old replies.
    private let instance = UInt32.random(in: 0...UInt32.max)

    /// Opens a UDP socket connected to rtpengine's `--listen-ng` port on 127.0.0.1.
    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard socket >= 0 else { throw NGError(description: "ng: socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(clamping: port)).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw NGError(description: "ng: connect() failed") }
    }

    deinit { close(socket) }

    /// Sends `request` and returns the reply's dictionary; throws on timeout (after one retry), or when
    /// rtpengine answers `error`.
    func request(_ request: [(String, Bencode)]) throws -> Bencode {
        cookie += 1
        let prefix = Array("\(getpid())_\(instance)_\(cookie) ".utf8)
        let message = prefix + Bencode.dictionary(request).encoded
        var reply = [UInt8](repeating: 0, count: 65_536)
        for _ in 0..<2 {
            guard message.withUnsafeBytes({ send(socket, $0.baseAddress, $0.count, 0) }) == message.count else { continue }
            while true {
                let count = reply.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
                guard count > 0 else { break }
                guard count > prefix.count, Array(reply[0..<prefix.count]) == prefix else { continue }
                var index = prefix.count
                guard let value = Bencode.decode(Array(reply[0..<count]), &index) else { throw NGError(description: "ng: malformed reply") }
                if value["result"]?.text == "error" {
                    throw NGError(description: "ng: \(value["error-reason"]?.text ?? "error")")
                }
                return value
            }
        }
        throw NGError(description: "ng: no reply from rtpengine")
    }
}
