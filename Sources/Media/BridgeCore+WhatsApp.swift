import NIOCore

/// The SIP → WhatsApp direction, as the WhatsApp leg's audio port: every
/// 20 ms the leg pulls one frame, which the bridge takes from the jitter
/// buffer, decodes (G.711/G.722), conceals where packets are missing, and
/// converts to the leg's rate when it differs. In pass-through the leg pulls
/// Opus payloads from the queue instead.
extension BridgeCore: EncodedAudioPort {
    /// False while a filler plays: the WhatsApp leg then encodes the filler, even on an Opus pass-through call.
    var passesOpusThrough: Bool { filler == nil && (browser != nil || parameters?.codec.isPassThrough == true) }

    /// A transcoded SIP codec's band (half its sample rate: 4 kHz for G.711, 8 kHz for G.722); nil while a
    /// filler plays or without a SIP codec, whose audio may be as wide as the leg's rate.
    var highestAudioFrequency: Int? {
        guard filler == nil, let parameters, !parameters.codec.isPassThrough else { return nil }
        return parameters.codec.sampleRate / 2
    }

    func nextFrame(_ frame: UnsafeMutableBufferPointer<Int16>) {
        noteWhatsAppPull()
        if let filler {
            filler.nextFrame(frame)
            record(sip: UnsafeBufferPointer(frame))
            return
        }
        guard let parameters, parameters.direction.receives, !parameters.codec.isPassThrough else {
            frame.update(repeating: 0)  // silence keeps WhatsApp's media timers happy during a hold
            record(sip: UnsafeBufferPointer(frame))
            return
        }
        let sipRate = parameters.codec.sampleRate
        let samples = sipRate / 50
        let pcm = UnsafeMutableBufferPointer(rebasing: buffers.sipPCM[0..<samples])
        decodeFrame(into: pcm)
        if let toLeg {
            _ = toLeg.convert(UnsafeBufferPointer(pcm), into: frame)
        } else {
            _ = frame.update(fromContentsOf: pcm.prefix(frame.count))
        }
        record(sip: UnsafeBufferPointer(frame))
    }

    /// One 20 ms frame from the jitter buffer at the SIP codec's rate, in two
    /// 10 ms blocks: decoded when complete, else concealed (spandsp PLC:
    /// pitch repetition fading to silence, used for G.722's 16 kHz PCM too).
    private func decodeFrame(into pcm: UnsafeMutableBufferPointer<Int16>) {
        let read = jitter.read(into: buffers.frameBytes)
        if read.idle {
            pcm.update(repeating: 0)
            return
        }
        let blockSamples = pcm.count / 2
        let blockBytes = JitterBuffer.blockTicks
        for block in 0..<2 {
            let out = UnsafeMutableBufferPointer(rebasing: pcm[(block * blockSamples)..<((block + 1) * blockSamples)])
            let bytes = UnsafeRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffers.frameBytes)[(block * blockBytes)..<((block + 1) * blockBytes)])
            if !read.stretched, read.presentBlocks & (1 << block) != 0 {
                if let g711 { _ = g711.decode(bytes, into: out) } else if let g722 { _ = g722.decode(bytes, into: out) }
                plc.received(out)
                concealedRun = 0
            } else if concealedRun < 10 {
                plc.fillIn(out)
                concealedRun += 1
                if block == 1 || read.stretched { stats.concealedFrames += 1 }
            } else {
                out.update(repeating: 0)  // after 100 ms the concealment has faded out anyway
            }
        }
    }

    /// The next queued Opus payload (the silence frame when none waits, e.g. while held).
    func nextOpusPayload(_ out: UnsafeMutableRawBufferPointer) -> Int {
        noteWhatsAppPull()
        return opusQueue.take(into: out)
    }

    func skipFrame() {
        noteWhatsAppPull()
        guard filler == nil else { return }
        if browser != nil {
            _ = opusQueue.take(into: buffers.outbound)
            return
        }
        guard let parameters, parameters.direction.receives else { return }
        if parameters.codec.isPassThrough {
            _ = opusQueue.take(into: buffers.outbound)
        } else {
            decodeFrame(into: UnsafeMutableBufferPointer(rebasing: buffers.sipPCM[0..<(parameters.codec.sampleRate / 50)]))
        }
    }

    func relayedTelephoneEvent() -> RelayedTelephoneEvent? {
        events.current(now: clock.now().uptimeNanoseconds)
    }

    func finishedRelayedTelephoneEvent() {
        events.popHead()
    }

    func packetArriving(at time: NIODeadline) {
        arrival = time
        lastWhatsAppPacket = time
    }

    /// `due` is on the loop's clock (the shared `MediaTicker`), so the delay is measured on it too.
    func frameSent(due: NIODeadline) {
        latency.record(nanoseconds: Int64(NIODeadline.now().uptimeNanoseconds) - Int64(due.uptimeNanoseconds))
    }
}
