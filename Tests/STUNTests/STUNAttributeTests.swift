import STUN
import TestSupport
import Testing

/// Round trips of every attribute, framing errors, demux, addresses, CRC-32.
@Suite struct STUNAttributeTests {
    static let id = STUNTransactionID(high: 0x0102_0304_0506_0708, low: 0x090A_0B0C)

    static let everyAttribute: [STUNAttribute] = [
        .mappedAddress(TransportAddress("192.0.2.7", port: 1)!),
        .mappedAddress(TransportAddress("2001:db8::7", port: 65535)!),
        .xorMappedAddress(TransportAddress("203.0.113.9", port: 3478)!),
        .xorMappedAddress(TransportAddress("fe80::1:2:3:4", port: 40000)!),
        .username("abcd:efghijkl"),
        .errorCode(.roleConflict),
        .errorCode(STUNErrorCode(code: 699, reason: "")),
        .unknownAttributes([0x0031, 0x7FFF, 0x0002]),
        .realm("example.org"),
        .nonce("n"),
        .software("wagate 0.1"),
        .priority(0x6E7F_1EFF),
        .useCandidate,
        .iceControlled(0xFFFF_FFFF_FFFF_FFFF),
        .iceControlling(1),
        .other(type: 0xC001, value: [1, 2, 3]),
        .other(type: 0x8055, value: []),
    ]

    @Test(arguments: everyAttribute)
    func roundTrip(_ attribute: STUNAttribute) throws {
        let message = STUNMessage(type: .bindingSuccess, transactionID: Self.id, attributes: [attribute])
        let key = STUNIntegrityKey(shortTermPassword: "0123456789abcdefghijkl")
        let bytes = try message.encode(integrityKey: key, fingerprint: true)
        #expect(bytes.count % 4 == 0)
        let packet = try STUNPacket(parsing: bytes)
        try packet.verifyIntegrity(key: key)
        try packet.verifyFingerprint()
        let decoded = try STUNMessage(packet)
        #expect(decoded.attributes == [attribute])
        #expect(decoded.transactionID == Self.id)
    }

    @Test func allAttributesTogether() throws {
        let message = STUNMessage(type: .bindingRequest, transactionID: Self.id, attributes: Self.everyAttribute)
        let decoded = try STUNMessage(parsing: try message.encode())
        #expect(decoded.attributes == Self.everyAttribute)
        #expect(decoded.messageIntegrity == nil && decoded.fingerprint == nil)
    }

    @Test func messageTypes() {
        for raw: UInt16 in [0x0001, 0x0011, 0x0101, 0x0111, 0x0003, 0x3EEF] {
            #expect(STUNMessageType(rawValue: raw).rawValue == raw)
        }
        #expect(STUNMessageType.bindingError.rawValue == 0x0111)
    }

    @Test func unknownComprehensionRequiredIsReported() throws {
        let message = STUNMessage(type: .bindingRequest, transactionID: Self.id, attributes: [
            .other(type: 0x0031, value: [9]), .other(type: 0x8031, value: [9]),
        ])
        let packet = try STUNPacket(parsing: try message.encode())
        #expect(packet.unknownComprehensionRequired == [0x0031])
    }

    @Test func attributesAfterIntegrityAreIgnoredButFingerprintMustBeLast() throws {
        let key = STUNIntegrityKey(shortTermPassword: "pass")
        var bytes = try STUNMessage(type: .bindingRequest, transactionID: Self.id, attributes: [.priority(5)])
            .encode(integrityKey: key)
        bytes += [0x00, 0x24, 0x00, 0x04, 0, 0, 0, 9]  // a PRIORITY after MESSAGE-INTEGRITY
        bytes[3] = UInt8(bytes.count - 20)
        let packet = try STUNPacket(parsing: bytes)
        #expect(packet.priority == 5)
        try packet.verifyIntegrity(key: key)

        var afterFingerprint = try STUNMessage(type: .bindingRequest, transactionID: Self.id).encode(fingerprint: true)
        afterFingerprint += [0x00, 0x25, 0x00, 0x00]
        afterFingerprint[3] = UInt8(afterFingerprint.count - 20)
        #expect(throws: STUNError(.fingerprintNotLast, "an attribute follows FINGERPRINT", attribute: 0x0025)) {
            try STUNPacket(parsing: afterFingerprint)
        }
    }

    @Test func framingErrors() throws {
        let good = try STUNMessage(type: .bindingRequest, transactionID: Self.id, attributes: [.priority(1)]).encode()
        func kind(_ bytes: [UInt8]) -> STUNError.Kind? {
            do { _ = try STUNPacket(parsing: bytes); return nil } catch { return error.kind }
        }
        #expect(kind(Array(good.prefix(19))) == .truncated)
        #expect(kind([0x40] + good.dropFirst()) == .malformedHeader)
        var cookie = good
        cookie[4] = 0
        #expect(kind(cookie) == .badMagicCookie)
        #expect(kind(good + [0, 0, 0, 0]) == .lengthMismatch)
        var long = good
        long[22] = 0
        long[23] = 9
        #expect(kind(long) == .truncated)
        let tooMany: [UInt8] = Array(repeating: [0x80, 0x99, 0, 0] as [UInt8], count: 65).flatMap { $0 }
        var header = Array(good.prefix(20))
        header[2] = UInt8(tooMany.count >> 8)
        header[3] = UInt8(tooMany.count & 0xFF)
        #expect(kind(header + tooMany) == .tooManyAttributes)
    }

    @Test func demux() throws {
        let stun = try STUNMessage(type: .bindingRequest, transactionID: Self.id).encode()
        #expect(isSTUN(stun))
        #expect(isSTUN(stun[...]))
        #expect(!isSTUN(Array(stun.prefix(19))))
        #expect(!isSTUN([0x16] + stun.dropFirst()))  // DTLS
        #expect(!isSTUN([0x80] + stun.dropFirst()))  // RTP
        var noCookie = stun
        noCookie[5] = 0
        #expect(!isSTUN(noCookie))
    }

    @Test func transportAddressText() {
        #expect(TransportAddress("198.51.100.4", port: 70000) == nil)
        #expect(TransportAddress("abcd.local", port: 9) == nil)
        #expect(TransportAddress("2001:db8::9", port: 9)?.description == "[2001:db8::9]:9")
    }

    @Test func crc32() {
        #expect(CRC32.checksum(Array("123456789".utf8)[...]) == 0xCBF4_3926)
    }

    @Test func transactionIDFromGenerator() {
        var generator = SplitMix64(seed: 7)
        let first = STUNTransactionID(using: &generator)
        let second = STUNTransactionID(using: &generator)
        #expect(first != second)
        #expect(STUNTransactionID(bytes: first.bytes) == first)
    }
}
