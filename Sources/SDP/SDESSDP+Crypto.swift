/// Which `a=crypto` line an SDES exchange agrees on (RFC 4568 §7.1.1, §7.1.3).
extension SDESSDP {
    /// Whether wagate can key SRTP with `crypto` as written: a suite it supports,
    /// one inline key of that suite's length, no MKI (the leg sends without one),
    /// and no session parameter but the window-size hint `WSH` (RFC 4568 §6.3.7:
    /// a hint needs no support; KDR, UNENCRYPTED_* and FEC_* would).
    static func usableSuite(of crypto: CryptoAttribute) -> CryptoAttribute.Suite? {
        guard let suite = crypto.knownSuite, crypto.keys.count == 1, crypto.keys[0].mki == nil,
              crypto.keyAndSalt.count == suite.keyAndSaltLength,
              crypto.sessionParameters.allSatisfy({ $0.hasPrefix("WSH=") }) else { return nil }
        return suite
    }

    /// The first offered line (in the offer's order) wagate can use.
    /// - Throws: `SDPError.Kind.missingAttribute` naming the suites taken when none is usable.
    static func chosenCrypto(in offered: MediaDescription) throws(SDPError) -> (CryptoAttribute, CryptoAttribute.Suite) {
        for crypto in offered.cryptos {
            if let suite = usableSuite(of: crypto) { return (crypto, suite) }
        }
        let taken = CryptoAttribute.Suite.allCases.map(\.rawValue).joined(separator: ", ")
        throw SDPError(.missingAttribute, "no usable a=crypto: wagate takes \(taken) with one inline key and no MKI")
    }

    /// The keys of the answer's crypto line: it must name one of our offered tags
    /// with the same suite (RFC 4568 §7.1.3), and carry the peer's own key.
    /// - Throws: `SDPError.Kind.missingAttribute` when no answered line matches an offered one.
    static func acceptedKeys(answer media: MediaDescription, offered: [CryptoAttribute],
                             local: SDESLocalParameters) throws(SDPError) -> NegotiatedAudio.SDES {
        for crypto in media.cryptos {
            guard let suite = usableSuite(of: crypto),
                  offered.contains(where: { $0.tag == crypto.tag && $0.knownSuite == suite }),
                  let ourKey = local.keyAndSalt(for: suite) else { continue }
            return NegotiatedAudio.SDES(suite: suite, tag: crypto.tag, localKeyAndSalt: ourKey, remoteKeyAndSalt: crypto.keyAndSalt)
        }
        throw SDPError(.missingAttribute, "the answer accepts none of the offered a=crypto lines")
    }
}
