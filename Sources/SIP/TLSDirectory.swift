import Config
import Foundation

/// Sofia's TLS transport reads `agent.pem` (private key + certificate chain)
/// and `cafile.pem` (the CAs a peer's certificate must chain to when
/// verification is on) from a directory. This builds one, private to the
/// process (mode 0700/0600), from the configured files, and removes it on
/// deinit. Without a CA bundle, `cafile.pem` holds wagate's own certificate,
/// which sofia needs to start TLS but which verifies nobody else.
final class TLSDirectory: Sendable {
    /// The directory to pass as TPTAG_CERTIFICATE.
    let path: String

    init(files: TLSFiles, caFile: String? = nil) throws(SIPError) {
        let manager = FileManager.default
        let path = NSTemporaryDirectory() + "wagate-tls-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        do {
            try manager.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let key = try String(contentsOfFile: files.privateKeyPath, encoding: .utf8)
            let certificate = try String(contentsOfFile: files.certificatePath, encoding: .utf8)
            let agent = key + (key.hasSuffix("\n") ? "" : "\n") + certificate
            _ = manager.createFile(atPath: path + "/agent.pem", contents: Data(agent.utf8), attributes: [.posixPermissions: 0o600])
            let trusted = try caFile.map { try String(contentsOfFile: $0, encoding: .utf8) } ?? certificate
            _ = manager.createFile(atPath: path + "/cafile.pem", contents: Data(trusted.utf8), attributes: [.posixPermissions: 0o600])
        } catch {
            throw .startFailed("cannot prepare TLS files: \(error.localizedDescription)")
        }
        self.path = path
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
