import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A bound UDP socket that is never read: datagrams sent to it vanish without an
/// answer or an ICMP error, as behind a firewall that drops them. The kernel
/// discards what its receive buffer cannot hold.
final class UDPSink: Sendable {
    /// The IPv4 address bound.
    let host: String
    /// The port the kernel chose.
    let port: Int
    private let descriptor: Int32

    /// Binds a fresh port on `host` (an IPv4 address); nil if the socket cannot be made.
    init?(host: String) {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            close(fd)
            return nil
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            return nil
        }
        self.host = host
        self.port = Int(UInt16(bigEndian: address.sin_port))
        descriptor = fd
    }

    deinit { close(descriptor) }
}
