import Testing
@testable import RTP

/// Malformed RTCP is refused with the right error (RFC 3550 A.2 checks).
@Suite struct RTCPParseErrorTests {
    @Test func compoundMustStartWithSROrRR() throws {
        let bytes = try writeRTCP { writer throws(RTPError) in try writer.appendCNAME(ssrc: 1, cname: "a") }
        #expect(throws: RTPError.compoundMustStartWithReport(packetType: 202)) { try parseRTCP(bytes) }
        #expect(try parseRTCP(bytes, requireReportFirst: false).packets.count == 1)
    }

    @Test func lengthBeyondTheDatagramIsTruncated() throws {
        var bytes = try writeRTCP { writer throws(RTPError) in try writer.appendReceiverReport(ssrc: 1, reportBlocks: [sampleBlock]) }
        bytes.removeLast(4)
        #expect(throws: RTPError.truncated(needed: 32, available: 28)) { try parseRTCP(bytes) }
    }

    @Test func reportCountLargerThanLengthIsBadLength() throws {
        var bytes = try writeRTCP { writer throws(RTPError) in try writer.appendReceiverReport(ssrc: 1, reportBlocks: EmptyCollection()) }
        bytes[0] = 0x81
        #expect(throws: RTPError.badLength(packetType: 201)) { try parseRTCP(bytes) }
    }

    @Test func wrongVersionIsRefused() throws {
        var bytes = try writeRTCP { writer throws(RTPError) in try writer.appendReceiverReport(ssrc: 1, reportBlocks: EmptyCollection()) }
        bytes[0] = 0x40
        #expect(throws: RTPError.badVersion(1)) { try parseRTCP(bytes) }
    }

    @Test func paddingOnlyOnTheLastPacket() throws {
        var bytes = try writeRTCP { writer throws(RTPError) in
            try writer.appendReceiverReport(ssrc: 1, reportBlocks: EmptyCollection())
            try writer.appendCNAME(ssrc: 1, cname: "abc")
        }
        bytes[0] |= 0x20
        #expect(throws: RTPError.badPadding(packetType: 201)) { try parseRTCP(bytes) }
    }

    @Test func paddingOnTheLastPacketIsStripped() throws {
        var bytes = try writeRTCP { writer throws(RTPError) in
            try writer.appendReceiverReport(ssrc: 1, reportBlocks: EmptyCollection())
            try writer.appendGoodbye(sources: [1])
        }
        bytes[8] |= 0x20
        bytes[11] += 1
        bytes += [0, 0, 0, 4]
        #expect(try parseRTCP(bytes).packets[1] == .goodbye(RTCPGoodbye(sources: [1])))
    }

    @Test func writerRefusesASmallBuffer() {
        var storage = [UInt8](repeating: 0, count: 20)
        storage.withUnsafeMutableBytes { buffer in
            var writer = RTCPWriter(buffer: buffer)
            #expect(throws: RTPError.bufferTooSmall(needed: 28, available: 20)) {
                try writer.appendSenderReport(ssrc: 1, info: sampleSenderInfo, reportBlocks: EmptyCollection())
            }
            #expect(writer.count == 0)
        }
    }

    @Test func writerRefusesMoreThan31Blocks() {
        var storage = [UInt8](repeating: 0, count: 1500)
        storage.withUnsafeMutableBytes { buffer in
            var writer = RTCPWriter(buffer: buffer)
            #expect(throws: RTPError.tooManyItems(32)) {
                try writer.appendReceiverReport(ssrc: 1, reportBlocks: Array(repeating: sampleBlock, count: 32))
            }
        }
    }
}
