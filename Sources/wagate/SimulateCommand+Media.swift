import ArgumentParser
import Config
import Gateway
import Logging
import Media
import NIOPosix
import SDP
import Simulator

extension SimulateCommand.Serve {
    /// The media the simulated users get, from `--media` and `--media-ports`.
    func userMedia(logger: Logger) throws -> any SimulatedUserMedia {
        let bounds = mediaPorts.split(separator: "-").compactMap { Int($0) }
        guard bounds.count == 2, bounds[0] < bounds[1], bounds[0] >= 1024, bounds[1] <= 65535 else {
            throw ValidationError("--media-ports must look like 40000-40999")
        }
        let ports = RTPPortAllocator(range: bounds[0]...bounds[1])
        var additional: [AudioCodec] = []
        for name in additionalCodecs.split(separator: ",") {
            guard let law = Codec(name: String(name))?.g711 else {
                throw ValidationError("--additional-codecs takes pcmu and/or pcma, not '\(name)'")
            }
            additional.append(law)
        }
        switch media {
        case "none":
            return MetaShapedSDPMedia(address: host)
        case "echo":
            return routed(.echo, host: host, ports: ports, logger: logger, additionalCodecs: additional)
        case let value where value.hasPrefix("cheap"):
            guard case .cheapTone(let hertz)? = SimulatorMedia.parse(value) else {
                throw ValidationError("--media cheap takes cheap or cheap:HZ (50–4000)")
            }
            let tone = try PreEncodedTone(frequency: hertz)
            return routed(.preEncodedTone(tone), host: host, ports: ports, logger: logger, additionalCodecs: additional)
        default:
            guard media.hasPrefix("tone:"), let frequency = Double(media.dropFirst(5)), frequency > 0, frequency < 8000 else {
                throw ValidationError("--media must be tone:HZ, cheap[:HZ], echo or none")
            }
            return routed(.tone(frequency), host: host, ports: ports, logger: logger, additionalCodecs: additional)
        }
    }

    /// WebRTC media for DTLS calls and SDES media for SIP-mode SDES numbers, both of `behaviour`.
    private func routed(_ behaviour: WebRTCSimulatedUserMedia.Behaviour, host: String, ports: RTPPortAllocator,
                        logger: Logger, additionalCodecs: [AudioCodec]) -> KeyExchangeRoutedMedia {
        let group = MultiThreadedEventLoopGroup.singleton
        return KeyExchangeRoutedMedia(
            dtls: WebRTCSimulatedUserMedia(behaviour: behaviour, host: host, ports: ports, group: group, logger: logger,
                                           additionalCodecs: additionalCodecs),
            sdes: SDESSimulatedUserMedia(behaviour: behaviour, host: host, ports: ports, group: group, logger: logger,
                                         additionalCodecs: additionalCodecs))
    }
}
