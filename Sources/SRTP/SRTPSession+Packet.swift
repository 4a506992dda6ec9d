import CSRTP

extension SRTPSession {
    /// The four libsrtp packet operations.
    enum Operation {
        case protectRTP, unprotectRTP, protectRTCP, unprotectRTCP
    }

    /// Checks room and length, calls libsrtp in place, counts the outcome.
    /// Allocation-free: static error reasons, counters in a stored struct.
    /// Ownership: `buffer` is borrowed for the call; libsrtp reads and writes
    /// only `buffer[0..<length + room]`. Thread: the session's thread.
    func run(
        _ buffer: UnsafeMutableRawBufferPointer, length: Int, room: Int, minimum: Int, operation: Operation
    ) throws(SRTPError) -> Int {
        guard let base = buffer.baseAddress, length >= minimum, length <= Int(Int32.max) else {
            stats.otherFailures &+= 1
            throw SRTPError(.invalidPacket, "packet too short")
        }
        guard buffer.count - length >= room else {
            stats.otherFailures &+= 1
            throw SRTPError(.invalidPacket, "no room for the SRTP trailer")
        }
        var newLength = Int32(length)
        let status: srtp_err_status_t = switch operation {
        case .protectRTP: srtp_protect(outboundSession, base, &newLength)
        case .unprotectRTP: srtp_unprotect(inboundSession, base, &newLength)
        case .protectRTCP: srtp_protect_rtcp(outboundSession, base, &newLength)
        case .unprotectRTCP: srtp_unprotect_rtcp(inboundSession, base, &newLength)
        }
        guard status == srtp_err_status_ok else {
            throw countFailure(status)
        }
        switch operation {
        case .protectRTP: stats.rtpProtected &+= 1
        case .unprotectRTP: stats.rtpUnprotected &+= 1
        case .protectRTCP: stats.rtcpProtected &+= 1
        case .unprotectRTCP: stats.rtcpUnprotected &+= 1
        }
        return min(max(0, Int(newLength)), buffer.count)
    }

    /// Counts a libsrtp failure and turns it into an error with a static reason.
    private func countFailure(_ status: srtp_err_status_t) -> SRTPError {
        switch status {
        case srtp_err_status_auth_fail:
            stats.authenticationFailures &+= 1
            return SRTPError(.authenticationFailed, "authentication tag mismatch", status: status.rawValue)
        case srtp_err_status_replay_fail, srtp_err_status_replay_old:
            stats.replays &+= 1
            return SRTPError(.replayed, "packet index replayed or too old", status: status.rawValue)
        default:
            stats.otherFailures &+= 1
            return SRTPError(.rejected, "libsrtp rejected the packet", status: status.rawValue)
        }
    }

    /// Protects an RTP packet held in an array, growing it for the trailer.
    /// Convenience for tests and tools: it may allocate; the media path uses
    /// the buffer-pointer form.
    public func protectRTP(_ packet: inout [UInt8]) throws(SRTPError) {
        try transform(&packet, room: profile.rtpTrailerLength) { (buffer, length) throws(SRTPError) in try protectRTP(buffer, length: length) }
    }

    /// Unprotects an SRTP packet held in an array, shrinking it (convenience).
    public func unprotectRTP(_ packet: inout [UInt8]) throws(SRTPError) {
        try transform(&packet, room: 0) { (buffer, length) throws(SRTPError) in try unprotectRTP(buffer, length: length) }
    }

    /// Protects an RTCP packet held in an array, growing it (convenience).
    public func protectRTCP(_ packet: inout [UInt8]) throws(SRTPError) {
        try transform(&packet, room: profile.rtcpTrailerLength) { (buffer, length) throws(SRTPError) in try protectRTCP(buffer, length: length) }
    }

    /// Unprotects an SRTCP packet held in an array, shrinking it (convenience).
    public func unprotectRTCP(_ packet: inout [UInt8]) throws(SRTPError) {
        try transform(&packet, room: 0) { (buffer, length) throws(SRTPError) in try unprotectRTCP(buffer, length: length) }
    }

    /// Adds `room` zero bytes, runs `body` over the bytes, trims to the result.
    private func transform(
        _ packet: inout [UInt8], room: Int,
        _ body: (UnsafeMutableRawBufferPointer, Int) throws(SRTPError) -> Int
    ) throws(SRTPError) {
        let length = packet.count
        packet.append(contentsOf: repeatElement(0, count: room))
        let result: Result<Int, SRTPError> = packet.withUnsafeMutableBytes { buffer in
            Result { () throws(SRTPError) -> Int in try body(buffer, length) }
        }
        switch result {
        case .success(let newLength):
            packet.removeLast(packet.count - newLength)
        case .failure(let error):
            packet.removeLast(room)
            throw error
        }
    }
}
