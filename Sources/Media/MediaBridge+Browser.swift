public import Logging
import NIOCore

/// A browser as the bridge's business side: its `WebRTCLeg` is opened in `.browser`
/// mode on the bridge's own loop (both WebRTC engines and `BridgeCore` share it, so a
/// packet crosses from one leg to the other by a direct call), then attached.
extension MediaBridge {
    /// Opens a browser-facing leg on this bridge's loop: ICE-lite, DTLS server, Opus
    /// pass-through. Several can be open at once (one per ringing browser); only the
    /// attached one carries audio, the others drop what they receive.
    /// - Parameters:
    ///   - configuration: the leg's configuration; its mode is forced to `.browser`.
    ///   - allocator: the RTP port range.
    ///   - logger: the call's logger.
    /// - Throws: `MediaError.portsExhausted` when no port is free.
    public func openBrowserLeg(
        configuration: WebRTCLegConfiguration, allocator: RTPPortAllocator, logger: Logger
    ) async throws -> WebRTCLeg {
        var configuration = configuration
        configuration.mode = .browser
        configuration.audioCodecs = [.opus]
        return try await WebRTCLeg.open(configuration: configuration, allocator: allocator, group: sipChannel.eventLoop,
                                        logger: logger) { BrowserSide() }
    }

    /// Makes `leg` (from `openBrowserLeg`) the business side.
    /// - Returns: false when `leg` is not a browser leg of this bridge's loop.
    @discardableResult
    public func attachBrowser(_ leg: WebRTCLeg) async -> Bool {
        guard leg.channel.eventLoop === sipChannel.eventLoop else { return false }
        let core = self.core, engine = leg.engine
        return (try? await sipChannel.eventLoop.submit {
            guard let side = engine.value.audio as? BrowserSide else { return false }
            core.value.attachBrowser(side, engine: engine.value)
            core.value.browserLeg = leg
            return true
        }.get()) ?? false
    }

    /// Hold (nothing forwarded either way; Meta gets 20 ms silence frames) and mute
    /// (the browser's audio dropped) of a browser business side.
    public func setBusinessMedia(held: Bool, muted: Bool) {
        let core = self.core
        sipChannel.eventLoop.execute { core.value.setBrowserMedia(held: held, muted: muted) }
    }

    /// Detaches the browser side and returns its leg (for its owner to close), if any.
    public func detachBrowser() async -> WebRTCLeg? {
        let core = self.core
        return try? await sipChannel.eventLoop.submit { () -> WebRTCLeg? in
            let leg = core.value.browserLeg
            core.value.detachBrowser()
            core.value.browserLeg = nil
            return leg
        }.get()
    }

    /// Adds the attached browser leg's figures: `businessLeg = "browser"`, its codec work
    /// (none once a detach dropped it, even before its owner took the leg).
    func mergeBrowserStatistics(into result: inout MediaBridgeStatistics) async {
        let core = self.core
        let attached = try? await sipChannel.eventLoop.submit { core.value.browser == nil ? nil : core.value.browserLeg }.get()
        guard let leg = attached ?? nil else { return }
        let browser = await leg.statistics()
        result.businessLeg = "browser"
        result.sip.codec = browser.codec
        result.sip.packetsSent = browser.packetsSent
        result.sip.packetsReceived = browser.packetsReceived
        result.sip.packetsLost = browser.packetsLost
        result.sip.jitterMs = browser.jitterMs
        result.sip.roundTripMs = browser.roundTripMs
        result.sip.estimateMOS()
        result.opusEncodedFrames += browser.opusEncodedFrames
        result.opusDecodedFrames += browser.opusDecodedFrames
    }
}
