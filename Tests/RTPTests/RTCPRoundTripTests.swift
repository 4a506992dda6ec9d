import Testing
@testable import RTP

/// Build → parse round trips of each RTCP packet type (RFC 3550 §6.4–§6.6).
@Suite struct RTCPRoundTripTests {
    @Test func senderReportRoundTrips() throws {
        let report = RTCPSenderReport(ssrc: 0x1234_5678, senderInfo: sampleSenderInfo, reportBlocks: [sampleBlock])
        let (bytes, parsed) = try roundTrip(RTCPCompoundPacket(packets: [.senderReport(report)]))
        #expect(bytes.count == 52)
        #expect(parsed.packets == [.senderReport(report)])
    }

    @Test func senderReportWithoutBlocksIs28Bytes() throws {
        let report = RTCPSenderReport(ssrc: 1, senderInfo: sampleSenderInfo)
        let (bytes, parsed) = try roundTrip(RTCPCompoundPacket(packets: [.senderReport(report)]))
        #expect(bytes.count == 28)
        #expect(bytes[0] == 0x80 && bytes[1] == 200 && bytes[3] == 6)
        #expect(parsed.senderReports == [report])
    }

    @Test func receiverReportRoundTripsWithNegativeCumulativeLoss() throws {
        var second = sampleBlock
        second.ssrc = 7
        second.cumulativeLost = -3
        let report = RTCPReceiverReport(ssrc: 0xcafe_babe, reportBlocks: [sampleBlock, second])
        let (bytes, parsed) = try roundTrip(RTCPCompoundPacket(packets: [.receiverReport(report)]))
        #expect(bytes.count == 8 + 48)
        #expect(bytes[0] == 0x82 && bytes[1] == 201)
        #expect(Array(bytes[36...39]) == [0x40, 0xff, 0xff, 0xfd])
        #expect(parsed.packets == [.receiverReport(report)])
    }

    @Test func cumulativeLossIsClampedTo24Bits() {
        #expect(RTCPReportBlock(ssrc: 1, cumulativeLost: 10_000_000).cumulativeLost == 0x7f_ffff)
        #expect(RTCPReportBlock(ssrc: 1, cumulativeLost: -10_000_000).cumulativeLost == -0x80_0000)
    }

    @Test func sourceDescriptionRoundTripsWithPadding() throws {
        let description = RTCPSourceDescription(chunks: [
            .init(ssrc: 1, items: [.init(type: RTCPSourceDescription.ItemType.cname, text: "wagate@gw")]),
            .init(ssrc: 2, items: [
                .init(type: RTCPSourceDescription.ItemType.cname, text: "abcd"),
                .init(type: RTCPSourceDescription.ItemType.tool, text: "wagate"),
            ]),
        ])
        let (bytes, parsed) = try roundTrip(RTCPCompoundPacket(packets: [.sourceDescription(description)]))
        // Chunk 1: 4 + 2 + 9 + 1 = 16; chunk 2: 4 + 6 + 8 + 1 = 19 → 20.
        #expect(bytes.count == 4 + 16 + 20)
        #expect(bytes.count % 4 == 0)
        #expect(parsed.packets == [.sourceDescription(description)])
        guard case .sourceDescription(let decoded) = parsed.packets[0] else { return }
        #expect(decoded.chunks.map(\.cname) == ["wagate@gw", "abcd"])
    }

    @Test func cnameOfLengthMultipleOfFourGetsAFullNullWord() throws {
        // 4 + 2 + 2 = 8 is already aligned: a whole extra word must carry the null.
        let bytes = try writeRTCP { writer throws(RTPError) in try writer.appendCNAME(ssrc: 9, cname: "ab") }
        #expect(bytes == [0x81, 202, 0, 3, 0, 0, 0, 9, 1, 2, 0x61, 0x62, 0, 0, 0, 0])
        let parsed = try parseRTCP(bytes, requireReportFirst: false)
        #expect(parsed.packets == [.sourceDescription(RTCPSourceDescription(ssrc: 9, cname: "ab"))])
    }

    @Test func goodbyeRoundTripsWithAndWithoutReason() throws {
        for goodbye in [RTCPGoodbye(sources: [1, 2, 3]), RTCPGoodbye(sources: [0xdead_beef], reason: "call ended")] {
            let (bytes, parsed) = try roundTrip(RTCPCompoundPacket(packets: [.goodbye(goodbye)]))
            #expect(bytes.count % 4 == 0)
            #expect(parsed.packets == [.goodbye(goodbye)])
        }
    }

    @Test func compoundReportCNAMEAndGoodbyeRoundTrip() throws {
        let compound = RTCPCompoundPacket(packets: [
            .senderReport(RTCPSenderReport(ssrc: 5, senderInfo: sampleSenderInfo, reportBlocks: [sampleBlock])),
            .sourceDescription(RTCPSourceDescription(ssrc: 5, cname: "4f1c@wagate")),
            .goodbye(RTCPGoodbye(sources: [5], reason: "bye")),
        ])
        let (_, parsed) = try roundTrip(compound)
        #expect(parsed == compound)
        #expect(parsed.reportBlocks == [sampleBlock])
    }

    @Test func unknownPacketTypesArePreserved() throws {
        let nack = RTCPPacket.other(header: RTCPHeader(count: 1, packetType: RTCPPacketType.transportFeedback, length: 3),
                                    body: [0, 0, 0, 1, 0, 0, 0, 2, 0, 5, 0, 0])
        let compound = RTCPCompoundPacket(packets: [.receiverReport(RTCPReceiverReport(ssrc: 1)), nack])
        let (_, parsed) = try roundTrip(compound)
        #expect(parsed == compound)
    }

    @Test func appendReportWritesSRPlusCNAMEOrRRPlusCNAME() throws {
        let sr = try writeRTCP { writer throws(RTPError) in
            try writer.appendReport(ssrc: 3, senderInfo: sampleSenderInfo, reportBlock: sampleBlock, cname: "x")
        }
        let rr = try writeRTCP { writer throws(RTPError) in
            try writer.appendReport(ssrc: 3, senderInfo: nil, reportBlock: nil, cname: "x")
        }
        #expect(try parseRTCP(sr).packets.map(\.packetType) == [200, 202])
        #expect(try parseRTCP(rr).packets.map(\.packetType) == [201, 202])
    }
}
