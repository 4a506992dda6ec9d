import CSRTP

/// SRTP and SRTCP for one call's media stream pair (RFC 3711): protects what
/// we send with the local master key, unprotects what we receive with the
/// remote one, replay protection on.
///
/// Per-packet functions work in place on a caller-provided buffer, allocate
/// nothing, take no lock, log nothing; failures are thrown with a static reason
/// and counted in `stats`. From a NIO `ByteBuffer` holding one RTP packet:
///
/// ```swift
/// let length = buffer.readableBytes
/// buffer.writeRepeatingByte(0, count: session.profile.rtpTrailerLength)  // trailer room
/// let protected = try buffer.withUnsafeMutableReadableBytes { try session.protectRTP($0, length: length) }
/// buffer.moveWriterIndex(to: buffer.readerIndex + protected)
/// ```
///
/// Unprotect needs no extra room; move the writer index back to the returned length.
///
/// Ownership: owns two `SRTPContext`s (one libsrtp session each).
/// Thread: not `Sendable`; use from one thread (the call's event loop).
public final class SRTPSession {
    /// The crypto suite.
    public let profile: SRTPProfile
    /// Packet counters and failure counts.
    public internal(set) var stats = SRTPStats()
    /// Protects outgoing packets (local key).
    private let outbound: SRTPContext
    /// Unprotects incoming packets (remote key).
    private let inbound: SRTPContext

    /// The outbound `srtp_t`, borrowed from `outbound` (alive as long as `self`).
    var outboundSession: OpaquePointer { outbound.session }
    /// The inbound `srtp_t`, borrowed from `inbound` (alive as long as `self`).
    var inboundSession: OpaquePointer { inbound.session }

    /// Room to leave after any packet for any profile (libsrtp's documented
    /// worst case: `SRTP_MAX_TRAILER_LEN` + 4 for the SRTCP index).
    public static let maximumTrailerLength = Int(SRTP_MAX_TRAILER_LEN) + 4

    /// Creates a session from separate master keys and salts (DTLS-SRTP, RFC 5764 §4.2).
    /// - Parameter replayWindow: how many packets back the replay window reaches.
    /// - Throws: `.invalidKey` on wrong lengths, `.setup` if libsrtp refuses.
    public init(
        profile: SRTPProfile, localKey: [UInt8], localSalt: [UInt8], remoteKey: [UInt8], remoteSalt: [UInt8],
        replayWindow: Int = 1024
    ) throws(SRTPError) {
        self.profile = profile
        outbound = try SRTPContext(profile: profile, key: localKey, salt: localSalt, direction: .outbound, replayWindow: replayWindow)
        inbound = try SRTPContext(profile: profile, key: remoteKey, salt: remoteSalt, direction: .inbound, replayWindow: replayWindow)
    }

    /// Creates a session from SDES `inline:` keys (RFC 4568 §6.1): each is the
    /// master key followed by the master salt (30 bytes for the AES-CM suites).
    /// - Throws: `.invalidKey` on wrong lengths, `.setup` if libsrtp refuses.
    public convenience init(
        profile: SRTPProfile, localKeyAndSalt: [UInt8], remoteKeyAndSalt: [UInt8], replayWindow: Int = 1024
    ) throws(SRTPError) {
        let total = profile.keyLength + profile.saltLength
        guard localKeyAndSalt.count == total, remoteKeyAndSalt.count == total else {
            throw SRTPError(.invalidKey, "\(profile) inline keys must be \(total) bytes, got \(localKeyAndSalt.count) and \(remoteKeyAndSalt.count)")
        }
        try self.init(
            profile: profile,
            localKey: Array(localKeyAndSalt.prefix(profile.keyLength)), localSalt: Array(localKeyAndSalt.dropFirst(profile.keyLength)),
            remoteKey: Array(remoteKeyAndSalt.prefix(profile.keyLength)), remoteSalt: Array(remoteKeyAndSalt.dropFirst(profile.keyLength)),
            replayWindow: replayWindow)
    }

    /// Encrypts and authenticates the RTP packet in `buffer[0..<length]` in place.
    /// - Parameter buffer: must have at least `profile.rtpTrailerLength` bytes after the packet.
    /// - Returns: the SRTP packet's length.
    public func protectRTP(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws(SRTPError) -> Int {
        try run(buffer, length: length, room: profile.rtpTrailerLength, minimum: 12, operation: .protectRTP)
    }

    /// Authenticates, replay-checks and decrypts the SRTP packet in `buffer[0..<length]` in place.
    /// - Returns: the RTP packet's length.
    public func unprotectRTP(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws(SRTPError) -> Int {
        try run(buffer, length: length, room: 0, minimum: 12, operation: .unprotectRTP)
    }

    /// Encrypts and authenticates the RTCP compound packet in `buffer[0..<length]` in place.
    /// - Parameter buffer: must have at least `profile.rtcpTrailerLength` bytes after the packet.
    /// - Returns: the SRTCP packet's length.
    public func protectRTCP(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws(SRTPError) -> Int {
        try run(buffer, length: length, room: profile.rtcpTrailerLength, minimum: 8, operation: .protectRTCP)
    }

    /// Authenticates, replay-checks and decrypts the SRTCP packet in `buffer[0..<length]` in place.
    /// - Returns: the RTCP packet's length.
    public func unprotectRTCP(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws(SRTPError) -> Int {
        try run(buffer, length: length, room: 0, minimum: 8, operation: .unprotectRTCP)
    }
}
