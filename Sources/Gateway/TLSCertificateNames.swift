public import Config
import Foundation
import X509

/// Reads the DNS names of the first certificate in a PEM file (the server's
/// own certificate, before any chain), for the SIP-mode domain check.
public enum TLSCertificateNames {
    /// Why a certificate file gives no names.
    public struct ReadError: Error, CustomStringConvertible {
        /// The file.
        public var path: String
        /// What went wrong.
        public var reason: String
        /// `cannot read the TLS certificate 'PATH': REASON`.
        public var description: String { "cannot read the TLS certificate '\(path)': \(reason)" }
    }

    /// The subjectAltName DNS names and subject CN of the first certificate in `path`.
    public static func read(_ path: String) throws(ReadError) -> CertificateNames {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ReadError(path: path, reason: "\(error.localizedDescription)")
        }
        return try names(pem: text, path: path)
    }

    /// The names of the first `CERTIFICATE` block of `pem`; `path` names it in errors.
    public static func names(pem: String, path: String) throws(ReadError) -> CertificateNames {
        guard let begin = pem.range(of: "-----BEGIN CERTIFICATE-----"),
              let end = pem.range(of: "-----END CERTIFICATE-----", range: begin.upperBound..<pem.endIndex) else {
            throw ReadError(path: path, reason: "no CERTIFICATE block in the PEM file")
        }
        let certificate: Certificate
        do {
            certificate = try Certificate(pemEncoded: String(pem[begin.lowerBound..<end.upperBound]))
        } catch {
            throw ReadError(path: path, reason: "not a PEM X.509 certificate (\(error))")
        }
        var dnsNames: [String] = []
        if let alternatives = try? certificate.extensions.subjectAlternativeNames {
            for case .dnsName(let name) in alternatives { dnsNames.append(name) }
        }
        let commonName = certificate.subject.lazy.flatMap { $0 }
            .first { $0.type == .RDNAttributeType.commonName }
            .flatMap { String($0.value) }
        return CertificateNames(dnsNames: dnsNames, commonName: commonName)
    }
}
