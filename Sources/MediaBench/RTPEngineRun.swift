import Foundation
import NIOCore
import NIOPosix
import SRTP

/// One step of the ladder through rtpengine instead of wagate's bridge: `calls` calls whose PCMU (or Opus) phone
/// and Opus "WhatsApp user" are the same synthetic peers as in `LoadRun`, on the same generator thread, set up
/// through rtpengine's ng protocol (offer from the phone, answer from the user). The user side is RTP/SAVP with an
/// SDES AEAD_AES_128_GCM key, the suite wagate's DTLS-SRTP negotiates on the WhatsApp leg. rtpengine's CPU is the
/// run time of all its threads (`/proc/PID/task/*/schedstat`) over the window.
@MainActor
struct RTPEngineRun {
    struct Call {
        let callID: String
        let phone: NIOLoopBound<SIPPeer>
        let user: NIOLoopBound<SIPPeer>
        let channels: [any Channel]
    }

    let client: NGClient
    let pid: Int32
    let peerGroup: MultiThreadedEventLoopGroup
    let mode: BenchMode
    let phonePayload: [UInt8]
    let userPayload: [UInt8]
    var window: Double
    private static var runs = 0

    init(port: Int, pid: Int32, peerGroup: MultiThreadedEventLoopGroup, mode: BenchMode, phonePayload: [UInt8], userPayload: [UInt8],
         window: Double) throws {
        client = try NGClient(port: port)
        (self.pid, self.peerGroup, self.mode, self.window) = (pid, peerGroup, mode, window)
        (self.phonePayload, self.userPayload) = (phonePayload, userPayload)
    }

    /// Opens `count` calls, measures one window once media flows, deletes the calls.
    func run(calls count: Int) async throws -> LoadRun.Result {
        Self.runs += 1
        let peerLoop = peerGroup.next()
        let memoryBefore = RTPEngineProcess.residentBytes(pid)
        let driver = try await peerLoop.submit { NIOLoopBound(SIPPeerDriver(), eventLoop: peerLoop) }.get()
        var calls: [Call] = []
        defer { cleanUp(calls, driver: driver, peerLoop: peerLoop) }
        for index in 0..<count { calls.append(try await openCall("bench-\(getpid())-\(Self.runs)-\(index)", peerLoop: peerLoop, driver: driver)) }
        try await peerLoop.submit { driver.value.start(on: peerLoop) }.get()
        try await Task.sleep(for: .seconds(1.5))
        let end = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < end {
            let now = try await snapshot(calls)
            if now.userReceived > 0, now.sipReceived > 0 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let first = try await snapshot(calls)
        try await Task.sleep(for: .milliseconds(Int(window * 1000)))
        let second = try await snapshot(calls)
        let memory = Double(RTPEngineProcess.residentBytes(pid) - memoryBefore) / Double(count) / 1024
        return LoadRun.evaluate(first, second, calls: count, memory: memory)
    }

    private func cleanUp(_ calls: [Call], driver: NIOLoopBound<SIPPeerDriver>, peerLoop: any EventLoop) {
        peerLoop.execute { driver.value.stop() }
        for call in calls {
            delete(call.callID)
            for channel in call.channels { channel.close(promise: nil) }
        }
        // A delete that timed out while rtpengine was saturated leaves its call running into the next step,
        // which would then carry more calls than it counts: whatever rtpengine still lists is deleted too.
        if case .list(let left)? = try? client.request([("command", .text("list")), ("limit", .integer(100_000))])["calls"] {
            if !left.isEmpty { print("  rtpengine still had \(left.count) calls after the step: deleting them") }
            for callID in left.compactMap(\.text) { delete(callID) }
        }
    }

    private func delete(_ callID: String) {
        _ = try? client.request([("command", .text("delete")), ("call-id", .text(callID)), ("from-tag", .text("phone"))])
    }

    private func snapshot(_ calls: [Call]) async throws -> LoadRun.Snapshot {
        var result = LoadRun.Snapshot()
        result.cpu = RTPEngineProcess.cpuNanoseconds(pid)
        result.time = .now
        let peerLoop = peerGroup.next()
        let peers = calls.map { ($0.phone, $0.user) }
        let counts = try await peerLoop.submit {
            peers.map { ($0.0.value.counters.received, $0.0.value.counters.lost, $0.0.value.counters.delayHistogram,
                         $0.1.value.counters.received, $0.1.value.counters.lost, $0.1.value.counters.delayHistogram) }
        }.get()
        for count in counts {
            result.sipReceived += count.0
            result.sipLost += count.1
            result.userReceived += count.3
            result.userLost += count.4
            for index in 0..<PeerCounters.delayBuckets { result.peerDelays[index] += count.2[index] + count.5[index] }
        }
        return result
    }

    private func openCall(_ callID: String, peerLoop: any EventLoop, driver: NIOLoopBound<SIPPeerDriver>) async throws -> Call {
        let phoneOpus = mode == .opusPass
        let (phonePayload, userPayload) = (self.phonePayload, self.userPayload)
        let userOpus = mode != .g711Pass
        let phone = try await peerLoop.submit {
            NIOLoopBound(SIPPeer(payloadType: phoneOpus ? 111 : 0, payload: phonePayload, ticks: phoneOpus ? 960 : 160), eventLoop: peerLoop)
        }.get()
        let phoneChannel = try await bind(phone, on: peerLoop)
        let phoneCodec = phoneOpus ? "111 opus/48000/2" : "0 PCMU/8000"
        var offer: [(String, Bencode)] = [
            ("command", .text("offer")), ("call-id", .text(callID)), ("from-tag", .text("phone")),
            ("sdp", .text(SDESOffer.sdp(port: phoneChannel.localAddress?.port ?? 0, profile: "RTP/AVP", codec: phoneCodec, crypto: nil))),
            ("transport-protocol", .text("RTP/SAVP")), ("ICE", .text("remove")), ("DTLS", .text("off")),
        ]
        if let transcode = mode.rtpengineTranscode {
            offer.append(("codec", .dictionary([("mask", .list([.text("PCMU")])), ("transcode", .list([.text(transcode)]))])))
        }
        let offered = try SDESOffer(sdp(of: client.request(offer), "offer"))
        let user = try await peerLoop.submit {
            NIOLoopBound(SIPPeer(payloadType: offered.payloadType, payload: userPayload, ticks: userOpus ? 960 : 160), eventLoop: peerLoop)
        }.get()
        let userChannel = try await bind(user, on: peerLoop)
        let localKey = (0..<(SDESOffer.profile.keyLength + SDESOffer.profile.saltLength)).map { _ in UInt8.random(in: 0...255) }
        let codec = "\(offered.payloadType) \(userOpus ? "opus/48000/2" : "PCMU/8000")"
        let crypto = "\(offered.cryptoTag) \(SDESOffer.suite) inline:\(Data(localKey).base64EncodedString().filter { $0 != "=" })"
        let answered = try SDESOffer(sdp(of: client.request([
            ("command", .text("answer")), ("call-id", .text(callID)), ("from-tag", .text("phone")), ("to-tag", .text("user")),
            ("sdp", .text(SDESOffer.sdp(port: userChannel.localAddress?.port ?? 0, profile: "RTP/SAVP", codec: codec, crypto: crypto))),
            ("ICE", .text("remove")), ("DTLS", .text("off")),
        ]), "answer"), plain: true)
        let (userPort, phonePort, remoteKey) = (offered.port, answered.port, offered.key)
        try await peerLoop.submit {
            user.value.srtp = try SRTPSession(profile: SDESOffer.profile, localKeyAndSalt: localKey, remoteKeyAndSalt: remoteKey)
            user.value.target = try SocketAddress(ipAddress: "127.0.0.1", port: userPort)
            phone.value.target = try SocketAddress(ipAddress: "127.0.0.1", port: phonePort)
            driver.value.peers.append(phone.value)
            driver.value.peers.append(user.value)
        }.get()
        return Call(callID: callID, phone: phone, user: user, channels: [phoneChannel, userChannel])
    }

    /// The SDP of an ng reply, or an error that quotes what rtpengine said instead.
    private func sdp(of reply: Bencode, _ command: String) throws -> String {
        guard let sdp = reply["sdp"]?.text, sdp.contains("m=audio ") else {
            let said = ["result", "warning", "error-reason"].compactMap { key in reply[key]?.text.map { "\(key)=\($0)" } }
            throw NGError(description: "ng: rtpengine's \(command) reply has no audio SDP (\(said.joined(separator: ", ")))")
        }
        return sdp
    }

    private func bind(_ peer: NIOLoopBound<SIPPeer>, on loop: any EventLoop) async throws -> any Channel {
        try await DatagramBootstrap(group: loop)
            .channelInitializer { channel in channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(peer.value) } }
            .bind(host: "127.0.0.1", port: 0).get()
    }
}
