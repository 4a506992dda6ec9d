import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

// The TLS side of the SIP-mode Meta: its certificate (Meta presents one for
// `wa.meta.vc`), the server and client contexts, and what a peer's certificate
// names, so that a test can check what the gateway presented.

/// The simulator's TLS identity and contexts.
struct SimulatedMetaSIPIdentity: Sendable {
    /// The names the self-made certificate carries.
    static let dnsNames = ["wa.meta.vc", "localhost"]

    /// The server context (the listener).
    let server: NIOSSLContext
    /// The client context (connections to the business's SIP server).
    let client: NIOSSLContext
    /// The listener's certificate chain as PEM, for a peer to trust it.
    let certificatePEM: String

    /// Loads the PEM identity of `settings`, or makes an ECDSA P-256 self-signed one.
    init(settings: SimulatedMetaSIPSettings) throws {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        if let certificatePEM = settings.certificatePEM, let keyPEM = settings.privateKeyPEM {
            chain = try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8))
            key = try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem)
            self.certificatePEM = certificatePEM
        } else {
            let made = try Self.selfSigned()
            chain = [try NIOSSLCertificate(bytes: made.der, format: .der)]
            key = try NIOSSLPrivateKey(bytes: Array(made.keyPEM.utf8), format: .pem)
            certificatePEM = PEMDocument(type: "CERTIFICATE", derBytes: made.der).pemString + "\n"
        }
        let sources = chain.map { NIOSSLCertificateSource.certificate($0) }
        server = try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: sources,
                                                                         privateKey: .privateKey(key)))
        var clientConfiguration = TLSConfiguration.makeClientConfiguration()
        if !settings.verifyGatewayCertificate { clientConfiguration.certificateVerification = .none }
        clientConfiguration.certificateChain = sources
        clientConfiguration.privateKey = .privateKey(key)
        client = try NIOSSLContext(configuration: clientConfiguration)
    }

    /// A certificate for ``dnsNames`` and 127.0.0.1, valid from an hour ago for a year.
    static func selfSigned() throws -> (der: [UInt8], keyPEM: String) {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName("wa.meta.vc") }
        let now = Date()
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            SubjectAlternativeNames(dnsNames.map { GeneralName.dnsName($0) }
                                    + [.ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))])
            try ExtendedKeyUsage([.serverAuth, .clientAuth])
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(365 * 86_400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions,
            issuerPrivateKey: .init(key))
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return (serializer.serializedBytes, key.pemRepresentation)
    }

    /// The DNS names and IP addresses a certificate carries (subjectAltName), or
    /// its subject when it has none.
    static func names(of certificate: NIOSSLCertificate) -> [String] {
        guard let der = try? certificate.toDERBytes(), let parsed = try? Certificate(derEncoded: der) else { return [] }
        var names: [String] = []
        let alternatives: SubjectAlternativeNames? = (try? parsed.extensions.subjectAlternativeNames) ?? nil
        for name in alternatives.map(Array.init) ?? [] {
            switch name {
            case .dnsName(let dns): names.append(dns)
            case .ipAddress(let octets): names.append(octets.bytes.map(String.init).joined(separator: "."))
            default: continue
            }
        }
        return names.isEmpty ? [parsed.subject.description] : names
    }
}
