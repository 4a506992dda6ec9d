import STUN

/// Checks an incoming Binding request and builds the answer; shared by
/// `ICEAgent` and `ICELiteResponder` (RFC 8445 §7.3, RFC 8489 §6.3).
enum ICEBindingResponder {
    /// The outcome of validating a request.
    enum Verdict {
        /// Authentic: answer with success (or a role decision first).
        case valid
        /// Answer with this error; `authenticated` says whether to add our integrity.
        case reject(STUNErrorCode, authenticated: Bool, unknown: [UInt16])
        /// Drop silently (bad FINGERPRINT: not for us, RFC 8489 §7.3).
        case drop
    }

    /// Validates FINGERPRINT (required), comprehension-required attributes, USERNAME
    /// (`ourUfrag:theirUfrag`, RFC 8445 §7.3) and MESSAGE-INTEGRITY with our password.
    static func validate(
        _ packet: STUNPacket, localUfrag: String, remoteUfrag: String?, key: STUNIntegrityKey
    ) -> Verdict {
        // RFC 8445 §7: ICE agents always add FINGERPRINT. Without a valid one the
        // datagram is not an ICE check for us: dropped without an answer, so a
        // stranger cannot use the port as a STUN reflector.
        guard packet.hasFingerprint, (try? packet.verifyFingerprint()) != nil else { return .drop }
        let unknown = packet.unknownComprehensionRequired
        if !unknown.isEmpty {
            return .reject(.unknownAttribute, authenticated: false, unknown: unknown)
        }
        guard let username = packet.value(of: .username), packet.hasIntegrity else {
            return .reject(.badRequest, authenticated: false, unknown: [])
        }
        guard usernameMatches(username, localUfrag: localUfrag, remoteUfrag: remoteUfrag) else {
            return .reject(.unauthenticated, authenticated: false, unknown: [])
        }
        do { try packet.verifyIntegrity(key: key) } catch {
            return .reject(.unauthenticated, authenticated: false, unknown: [])
        }
        return .valid
    }

    /// `LFRAG:RFRAG` without building a String; RFRAG is not checked when unknown.
    static func usernameMatches(_ value: ArraySlice<UInt8>, localUfrag: String, remoteUfrag: String?) -> Bool {
        var index = value.startIndex
        for byte in localUfrag.utf8 {
            guard index < value.endIndex, value[index] == byte else { return false }
            index += 1
        }
        guard index < value.endIndex, value[index] == UInt8(ascii: ":") else { return false }
        index += 1
        guard let remoteUfrag else { return true }
        return value[index...].elementsEqual(remoteUfrag.utf8)
    }

    /// A success response: XOR-MAPPED-ADDRESS = the request's source (RFC 8489
    /// §15.2), our integrity, FINGERPRINT.
    static func success(
        to packet: STUNPacket, source: TransportAddress, key: STUNIntegrityKey, software: String?
    ) -> [UInt8] {
        var attributes: [STUNAttribute] = [.xorMappedAddress(source)]
        if let software { attributes.append(.software(software)) }
        let message = STUNMessage(type: .bindingSuccess, transactionID: packet.transactionID, attributes: attributes)
        return (try? message.encode(integrityKey: key, fingerprint: true)) ?? []
    }

    /// An error response (with our integrity when `key` is given, RFC 8489 §6.3.4).
    static func error(
        to packet: STUNPacket, code: STUNErrorCode, unknown: [UInt16], key: STUNIntegrityKey?, software: String?
    ) -> [UInt8] {
        var attributes: [STUNAttribute] = [.errorCode(code)]
        if !unknown.isEmpty { attributes.append(.unknownAttributes(unknown)) }
        if let software { attributes.append(.software(software)) }
        let message = STUNMessage(type: .bindingError, transactionID: packet.transactionID, attributes: attributes)
        return (try? message.encode(integrityKey: key, fingerprint: true)) ?? []
    }
}
