// srtp-bench: the cost of one SRTP round trip through `SRTPSession`, the way the
// media path calls it: protect then unprotect of one RTP packet with a 100-byte
// payload, in place, in a preallocated buffer. Prints nanoseconds per round trip
// for each profile. Run under valgrind (callgrind for instructions, DHAT for heap
// blocks) with two iteration counts and subtract, so start-up cancels out:
//   srtp-bench [iterations] [profile]   (profile: cm80, cm32, cm256, gcm; default all)
import Foundation
import SRTP

let arguments = CommandLine.arguments.dropFirst()
let iterations = arguments.first.flatMap { Int($0) } ?? 200_000
let only = arguments.dropFirst().first
let payloadSize = 100
let profiles: [(String, SRTPProfile)] = [
    ("cm80", .aesCM128HMACSHA1_80), ("cm32", .aesCM128HMACSHA1_32),
    ("cm256", .aesCM256HMACSHA1_80), ("gcm", .aeadAES128GCM),
]
let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 12 + payloadSize + SRTPSession.maximumTrailerLength, alignment: 16)
defer { buffer.deallocate() }

/// Protects and unprotects `count` packets with increasing sequence numbers; returns the seconds taken.
@MainActor func roundTrips(_ profile: SRTPProfile, count: Int) throws -> Double {
    let key = [UInt8](repeating: 0x42, count: profile.keyLength), salt = [UInt8](repeating: 0x24, count: profile.saltLength)
    let sender = try SRTPSession(profile: profile, localKey: key, localSalt: salt, remoteKey: key, remoteSalt: salt)
    let receiver = try SRTPSession(profile: profile, localKey: key, localSalt: salt, remoteKey: key, remoteSalt: salt)
    let start = DispatchTime.now().uptimeNanoseconds
    for index in 0..<count {
        buffer.storeBytes(of: 0x80, toByteOffset: 0, as: UInt8.self)
        buffer.storeBytes(of: 111, toByteOffset: 1, as: UInt8.self)
        buffer.storeBytes(of: UInt16(truncatingIfNeeded: index).bigEndian, toByteOffset: 2, as: UInt16.self)
        buffer.storeBytes(of: UInt32(truncatingIfNeeded: index &* 160).bigEndian, toByteOffset: 4, as: UInt32.self)
        buffer.storeBytes(of: UInt32(0x0102_0304).bigEndian, toByteOffset: 8, as: UInt32.self)
        let protected = try sender.protectRTP(buffer, length: 12 + payloadSize)
        _ = try receiver.unprotectRTP(buffer, length: protected)
    }
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

print("SRTP round trip (protect + unprotect, 100-byte RTP payload), \(iterations) packets per profile")
for (name, profile) in profiles where only == nil || only == name {
    let seconds = try roundTrips(profile, count: iterations)
    print("  " + name.padding(toLength: 8, withPad: " ", startingAt: 0)
        + String(format: "%8.0f ns per round trip", seconds * 1e9 / Double(max(1, iterations))))
}
