import Codecs
import Foundation
import Media
import NIOCore
import NIOPosix
import RTP
import SRTP
import TestSupport

/// A SIP phone's media for tests: one UDP socket on 127.0.0.1 sending RTP
/// (PCMU/PCMA/G.722 tone, or given Opus payloads) every ptime, optionally with
/// SDES-SRTP, random loss and RFC 4733 digits, and recording what comes back.
final class SIPTestEndpoint: Sendable {
    struct Options: Sendable {
        var codec: SIPMediaCodec = .pcmu
        var ptime = 20
        var frequency = 1000.0
        var amplitude = 8000.0
        var lossPercent = 0
        var telephoneEventPayloadType: UInt8? = 101
        var keys: SIPSDESKeys?
        var opusPayloads: [[UInt8]] = []
        var payloadType: UInt8 {
            switch codec {
            case .pcmu: 0
            case .pcma: 8
            case .g722: 9
            case .opus(let type): type
            }
        }
    }

    struct Received: Sendable {
        var pcm: [Int16] = []
        var payloads: [[UInt8]] = []
        var payloadSizes: [Int] = []
        var events: [(timestamp: UInt32, code: UInt8, end: Bool, duration: Int)] = []
        var ssrcs: Set<UInt32> = []
        var packets = 0
        var senderReports = 0
    }

    let port: Int
    let channel: any Channel
    let state: NIOLoopBound<State>
    /// Notified after every packet received.
    let changes: ChangeSignal

    static func open(_ options: Options) async throws -> SIPTestEndpoint {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let changes = ChangeSignal()
        let state = try await loop.submit { NIOLoopBound(try State(options, changes: changes), eventLoop: loop) }.get()
        let channel = try await DatagramBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(state.value) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return SIPTestEndpoint(port: channel.localAddress!.port!, channel: channel, state: state, changes: changes)
    }

    private init(port: Int, channel: any Channel, state: NIOLoopBound<State>, changes: ChangeSignal) {
        self.port = port
        self.channel = channel
        self.state = state
        self.changes = changes
    }

    /// Starts sending to 127.0.0.1:`port` every ptime.
    func start(to port: Int) {
        let state = self.state
        channel.eventLoop.execute { state.value.start(target: try! SocketAddress(ipAddress: "127.0.0.1", port: port)) }
    }

    func stopSending() async {
        let state = self.state
        try? await channel.eventLoop.submit { state.value.sending = false }.get()
    }

    func resumeSending() async {
        let state = self.state
        try? await channel.eventLoop.submit { state.value.sending = true }.get()
    }

    /// Sends each digit as RFC 4733 (start, updates every ptime, three ends), then `gapMs` of audio.
    func sendDigits(_ digits: String, durationMs: Int, gapMs: Int) {
        let state = self.state
        channel.eventLoop.execute { state.value.digitQueue.append(contentsOf: digits.map { ($0, durationMs, gapMs) }) }
    }

    func received() async -> Received {
        let state = self.state
        return (try? await channel.eventLoop.submit { state.value.received }.get()) ?? Received()
    }

    /// Waits until what was received satisfies `predicate` (checked on the
    /// endpoint's loop, now and after each packet) or the timeout passes.
    @discardableResult
    func wait(timeout: Duration = .seconds(5), until predicate: @escaping @Sendable (Received) -> Bool) async -> Bool {
        let state = self.state
        let loop = channel.eventLoop
        return await changes.wait(timeout: timeout) {
            (try? await loop.submit { predicate(state.value.received) }.get()) ?? false
        }
    }

    func close() async {
        let state = self.state
        try? await channel.eventLoop.submit { state.value.timer?.cancel() }.get()
        try? await channel.close()
    }

    /// The endpoint's state on its loop.
    final class State: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        typealias OutboundOut = AddressedEnvelope<ByteBuffer>

        let options: Options
        var channel: (any Channel)?
        var target: SocketAddress?
        var timer: Scheduled<Void>?
        var nextPacketAt = NIODeadline.now()
        var sending = true
        var received = Received()
        var digitQueue: [(Character, Int, Int)] = []
        var digit: (code: UInt8, timestamp: UInt32, elapsed: Int, total: Int, ends: Int, gap: Int)?
        var sequence = UInt16.random(in: 0...UInt16.max)
        var timestamp = UInt32.random(in: 0...UInt32.max)
        let ssrc = UInt32.random(in: 1...UInt32.max)
        var phase = 0.0
        var opusIndex = 0
        var lastSequence: UInt16?
        let g711: G711Codec?
        let g722: G722Codec?
        let opusDecoder: OpusDecoder?
        let srtp: SRTPSession?
        let receiveSRTP: SRTPSession?
        let changes: ChangeSignal

        init(_ options: Options, changes: ChangeSignal) throws {
            self.options = options
            self.changes = changes
            switch options.codec {
            case .pcmu: g711 = try G711Codec(.ulaw)
            case .pcma: g711 = try G711Codec(.alaw)
            default: g711 = nil
            }
            g722 = options.codec == .g722 ? try G722Codec() : nil
            opusDecoder = options.codec.isPassThrough ? try OpusDecoder(sampleRate: 48_000) : nil
            if let keys = options.keys, let profile = SRTPProfile(sdesSuite: keys.suite) {
                // The endpoint is the bridge's peer: it protects with the bridge's remote key.
                srtp = try SRTPSession(profile: profile, localKeyAndSalt: keys.remoteKeyAndSalt, remoteKeyAndSalt: keys.localKeyAndSalt)
            } else {
                srtp = nil
            }
            receiveSRTP = srtp
        }

        func handlerAdded(context: ChannelHandlerContext) { channel = context.channel }

        func start(target: SocketAddress) {
            self.target = target
            nextPacketAt = .now()
            scheduleNext()
        }

        /// Fixed-rate pacing, as a phone's sample clock: each packet is due one
        /// ptime after the previous one was due (not after it was sent), so a
        /// busy loop delays packets without slowing the stream down.
        private func scheduleNext() {
            guard let loop = channel?.eventLoop else { return }
            let bound = NIOLoopBound(self, eventLoop: loop)
            timer = loop.scheduleTask(deadline: nextPacketAt) {
                let state = bound.value
                state.tick()
                state.nextPacketAt = state.nextPacketAt + .milliseconds(Int64(state.options.ptime))
                if NIODeadline.now() - state.nextPacketAt > .milliseconds(200) { state.nextPacketAt = .now() }  // resync
                state.scheduleNext()
            }
        }

        private var sampleRate: Int { options.codec.sampleRate }
        private var ticksPerPacket: Int { options.ptime * options.codec.rtpClockRate / 1000 }

        func tick() {
            guard sending else { return }
            defer { timestamp &+= UInt32(ticksPerPacket) }
            if sendDigitPacket() { return }
            var packet = [UInt8](repeating: 0, count: 12)
            writeHeader(&packet, payloadType: options.payloadType, timestamp: timestamp, marker: false)
            if options.codec.isPassThrough {
                guard !options.opusPayloads.isEmpty else { return }
                packet += options.opusPayloads[opusIndex % options.opusPayloads.count]
                opusIndex += 1
            } else {
                let samples = options.ptime * sampleRate / 1000
                var pcm = [Int16](repeating: 0, count: samples)
                for i in 0..<samples {
                    pcm[i] = Int16(options.amplitude * sin(phase))
                    phase += 2 * Double.pi * options.frequency / Double(sampleRate)
                }
                var body = [UInt8](repeating: 0, count: samples)
                let count = pcm.withUnsafeBufferPointer { p in
                    body.withUnsafeMutableBufferPointer { b in g711?.encode(p, into: b) ?? g722!.encode(p, into: b) }
                }
                packet += body.prefix(count)
            }
            transmit(packet)
        }

        /// RFC 4733 §2.5.1: one event, its updates, three end packets, then the gap.
        private func sendDigitPacket() -> Bool {
            if digit == nil, !digitQueue.isEmpty {
                let (character, duration, gap) = digitQueue.removeFirst()
                let code = UInt8(Array("0123456789*#ABCD").firstIndex(of: character)!)
                digit = (code, timestamp, 0, duration * 8, 0, gap / options.ptime)
            }
            guard var event = digit, let type = options.telephoneEventPayloadType else { return false }
            if event.ends >= 3 {
                event.gap -= 1
                digit = event.gap <= 0 ? nil : event
                return false
            }
            event.elapsed = min(event.elapsed + options.ptime * 8, event.total)
            let end = event.elapsed >= event.total
            if end { event.ends += 1 }
            var packet = [UInt8](repeating: 0, count: 12)
            writeHeader(&packet, payloadType: type, timestamp: event.timestamp, marker: event.elapsed == options.ptime * 8)
            packet += [event.code, (end ? 0x80 : 0) | 10, UInt8(event.elapsed >> 8), UInt8(event.elapsed & 0xFF)]
            digit = event
            transmit(packet, lossless: true)
            return true
        }

        private func writeHeader(_ packet: inout [UInt8], payloadType: UInt8, timestamp: UInt32, marker: Bool) {
            packet.withUnsafeMutableBytes {
                RTPHeader(marker: marker, payloadType: payloadType, sequenceNumber: sequence, timestamp: timestamp, ssrc: ssrc).write(to: $0)
            }
            sequence &+= 1
        }

        private func transmit(_ packet: [UInt8], lossless: Bool = false) {
            if !lossless, options.lossPercent > 0, Int.random(in: 0..<100) < options.lossPercent { return }
            guard let channel, let target else { return }
            var bytes = packet + [UInt8](repeating: 0, count: SRTPSession.maximumTrailerLength)
            var length = packet.count
            if let srtp {
                length = bytes.withUnsafeMutableBytes { (try? srtp.protectRTP($0, length: packet.count)) ?? 0 }
            }
            bytes.removeLast(bytes.count - length)
            channel.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: channel.allocator.buffer(bytes: bytes)), promise: nil)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            defer { changes.notify() }
            var bytes = Array(envelope.data.readableBytesView)
            if bytes.count > 1, bytes[1] == 200 {  // an SR (rtcp-mux): answer with an RR so the bridge can measure RTT
                answerSenderReport(bytes, from: envelope.remoteAddress)
                return
            }
            if let receiveSRTP {
                let length = bytes.withUnsafeMutableBytes { (try? receiveSRTP.unprotectRTP($0, length: $0.count)) ?? 0 }
                guard length > 0 else { return }
                bytes.removeLast(bytes.count - length)
            }
            bytes.withUnsafeBytes { raw in
                guard let (header, range) = RTPHeader.parse(raw) else { return }
                let payload = Array(raw[range])
                received.packets += 1
                received.ssrcs.insert(header.ssrc)
                if header.payloadType == options.telephoneEventPayloadType, payload.count >= 4 {
                    received.events.append((header.timestamp, payload[0], payload[1] & 0x80 != 0, Int(payload[2]) << 8 | Int(payload[3])))
                } else if header.payloadType == options.payloadType {
                    receiveAudio(header, payload)
                }
            }
        }

        /// RFC 3550 §6.4.1: LSR = the middle 32 bits of the SR's NTP time, DLSR 0 (we answer at once).
        private func answerSenderReport(_ bytes: [UInt8], from source: SocketAddress) {
            guard receiveSRTP == nil, let channel,
                  let report = bytes.withUnsafeBytes({ try? RTCPCompoundPacket.parse($0) })?.senderReports.first else { return }
            received.senderReports += 1
            var out = [UInt8](repeating: 0, count: 200)
            let length = out.withUnsafeMutableBytes { raw -> Int in
                var writer = RTCPWriter(buffer: raw)
                let block = RTCPReportBlock(ssrc: report.ssrc, lastSenderReport: report.senderInfo.ntpTimestamp.compact)
                try? writer.appendReport(ssrc: ssrc, senderInfo: nil, reportBlock: block, cname: "endpoint")
                return writer.count
            }
            channel.writeAndFlush(AddressedEnvelope(remoteAddress: source, data: channel.allocator.buffer(bytes: out.prefix(length))),
                                  promise: nil)
        }

        private func receiveAudio(_ header: RTPHeader, _ payload: [UInt8]) {
            received.payloads.append(payload)
            received.payloadSizes.append(payload.count)
            if let last = lastSequence {
                let gap = Int(header.sequenceNumber &- last)
                guard gap > 0, gap < 100 else { return }
                let perPacket = options.ptime * sampleRate / 1000
                if gap > 1 { received.pcm += [Int16](repeating: 0, count: (gap - 1) * perPacket) }
            }
            lastSequence = header.sequenceNumber
            var pcm = [Int16](repeating: 0, count: 5760)
            let count = pcm.withUnsafeMutableBufferPointer { out in
                payload.withUnsafeBytes { bytes in
                    if let g711 { return g711.decode(bytes, into: out) }
                    if let g722 { return g722.decode(bytes, into: out) }
                    return (try? opusDecoder?.decode(packet: bytes, into: out)) ?? 0
                }
            }
            received.pcm += pcm.prefix(count)
        }
    }
}
