import Foundation
import SRTP

/// The kinds of call the comparison runs, each through wagate's bridge and through rtpengine.
enum BenchMode: String, CaseIterable {
    /// PCMU phone ⇄ Opus user, Opus at wagate's defaults (8 kHz, complexity 5, 24 kbit/s).
    case transcoded
    /// PCMU phone ⇄ Opus user, Opus at 48 kHz, complexity 10, 24 kbit/s on both systems.
    case heavy
    /// Opus phone ⇄ Opus user: payload passed through.
    case opusPass
    /// PCMU phone ⇄ PCMU user (Meta's `additional_codecs`): payload passed through.
    case g711Pass

    /// The ng `codec` → `transcode` entry: Opus mono at the same bit rate and complexity as wagate's encoder
    /// (the last field is handed to rtpengine's encoder as codec options); nil for pass-through.
    var rtpengineTranscode: String? {
        switch self {
        case .transcoded: "opus/48000/1/24000///compression_level=5"
        case .heavy: "opus/48000/1/24000///compression_level=10"
        case .opusPass, .g711Pass: nil
        }
    }

    /// The row label of the table.
    var label: String {
        switch self {
        case .transcoded: "transcoded PCMU ⇄ Opus (8 kHz, c5, 24 kbit/s)"
        case .heavy: "transcoded PCMU ⇄ Opus (48 kHz, c10, 24 kbit/s)"
        case .opusPass: "Opus pass-through"
        case .g711Pass: "G.711 pass-through"
        }
    }
}

/// What the bench reads from rtpengine's SDP: the media port, the first payload type, and (when SRTP) the key of
/// the `a=crypto` line with `suite`.
struct SDESOffer {
    /// The SDES suite both sides use: AEAD_AES_128_GCM, which wagate's DTLS-SRTP negotiates first.
    static let suite = "AEAD_AES_128_GCM"
    static let profile = SRTPProfile.aeadAES128GCM
    let port: Int
    let payloadType: UInt8
    let cryptoTag: String
    let key: [UInt8]

    /// Parses rtpengine's SDP; `plain` for the phone side, which carries no key.
    init(_ sdp: String, plain: Bool = false) throws {
        let lines = sdp.split(whereSeparator: \.isNewline).map(String.init)
        guard let media = lines.first(where: { $0.hasPrefix("m=audio ") })?.split(separator: " "), media.count >= 4,
            let port = Int(media[1]), let payloadType = UInt8(media[3])
        else { throw NGError(description: "ng: no m=audio line in rtpengine's SDP") }
        (self.port, self.payloadType) = (port, payloadType)
        guard !plain else {
            (cryptoTag, key) = ("", [])
            return
        }
        guard let crypto = lines.first(where: { $0.hasPrefix("a=crypto:") && $0.contains(" \(Self.suite) inline:") }),
            let inline = crypto.split(separator: ":").last.map({ String($0.split(separator: "|")[0]) }),
            let key = Data(base64Encoded: inline.padding(toLength: (inline.count + 3) / 4 * 4, withPad: "=", startingAt: 0))
        else { throw NGError(description: "ng: rtpengine offered no \(Self.suite) key") }
        (cryptoTag, self.key) = (String(crypto.dropFirst(9).prefix { $0 != " " }), Array(key))
    }

    /// A one-stream audio SDP on 127.0.0.1: `codec` is "PT name/rate[/channels]".
    static func sdp(port: Int, profile: String, codec: String, crypto: String?) -> String {
        let payloadType = codec.prefix { $0 != " " }
        var lines = ["v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=-", "c=IN IP4 127.0.0.1", "t=0 0",
                     "m=audio \(port) \(profile) \(payloadType)", "a=rtpmap:\(codec)", "a=sendrecv"]
        if let crypto { lines.append("a=crypto:\(crypto)") }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}

/// rtpengine's process as /proc shows it.
enum RTPEngineProcess {
    /// Run time of all the process's threads, ns (the first field of each `/proc/PID/task/TID/schedstat`).
    static func cpuNanoseconds(_ pid: Int32) -> UInt64 {
        let directory = "/proc/\(pid)/task"
        guard let threads = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return 0 }
        return threads.reduce(0) { total, thread in
            let text = (try? String(contentsOfFile: "\(directory)/\(thread)/schedstat", encoding: .utf8)) ?? ""
            return total + (UInt64(text.split(separator: " ").first ?? "") ?? 0)
        }
    }

    /// Resident memory, bytes (`/proc/PID/statm`).
    static func residentBytes(_ pid: Int32) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
    }
}
