import Foundation

/// A SIPp process playing one UAS scenario from Tests/Interop/sipp on a free
/// 127.0.0.1 port, for tests of the SIP stack's client side.
final class SIPpProcess {
    static let executable = ["/usr/bin/sipp", "/usr/local/bin/sipp"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var available: Bool { executable != nil }
    static let scenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Interop/sipp")

    let port: Int
    private let process = Process()
    private let output = Pipe()

    /// Starts `scenario` on `port`; with `remote` (`127.0.0.1:PORT`) it is a UAC calling there.
    init(scenario: String, timeoutSeconds: Int = 15, port: Int = FreePort.udp(), remote: String? = nil) throws {
        self.port = port
        process.executableURL = URL(fileURLWithPath: Self.executable!)
        process.arguments = (remote.map { [$0] } ?? []) + [
            "-sf", Self.scenarios.appendingPathComponent(scenario).path, "-i", "127.0.0.1",
            "-p", "\(port)", "-m", "1", "-nostdin", "-timeout", "\(timeoutSeconds)s", "-timeout_error",
            "-mp", "\(FreePort.udp())"]
        process.currentDirectoryURL = URL(fileURLWithPath: NSTemporaryDirectory())
        process.standardOutput = output
        process.standardError = output
        try process.run()
        Thread.sleep(forTimeInterval: 0.3)
    }

    /// Waits for SIPp to finish; returns its exit status and output.
    func finish() async -> (Int32, String) {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { [process, output] in
                process.waitUntilExit()
                let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                continuation.resume(returning: (process.terminationStatus, text))
            }
        }
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}

/// Picks free ports on 127.0.0.1.
enum FreePort {
    static func udp() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
