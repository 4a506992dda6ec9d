public import Config
public import SDP

extension Codec {
    /// The SDP module's codec for a `sip.conf` codec name.
    public var sdpCodec: AudioCodec {
        switch self {
        case .pcmu: .pcmu
        case .pcma: .pcma
        case .g722: .g722
        case .opus: .opus
        }
    }

    /// The codec if it is a G.711 law (what the echo test and Meta's `additional_codecs` take).
    public var g711: AudioCodec? {
        self == .pcmu || self == .pcma ? sdpCodec : nil
    }
}
