import Foundation
import WhatsAppCloud

/// Which pending fault a Graph request or a call's media meets.
extension MetaSimulatorCore {
    /// The action a Graph request performs: the `action` of a `POST …/calls`, else the edge.
    static func action(method: String, segments: [String], body: [UInt8]) -> String {
        guard segments.count == 3 else { return "" }
        guard method == "POST", segments[2] == "calls" else { return segments[2] }
        return (try? JSONValue.parse(Data(body)))?["action"]?.stringValue ?? "calls"
    }

    /// Removes and returns the first pending fault that applies to `action`.
    func takeFault(for action: String) -> InjectedFault? {
        guard let index = faults.firstIndex(where: { $0.action == nil || $0.action == action }) else { return nil }
        return faults.remove(at: index)
    }

    /// Makes the media of the next `count` calls fail with `fault`; returns the media faults pending.
    func failNextMedia(_ count: Int, with fault: MediaFault) -> Int {
        mediaFaults.append(contentsOf: Array(repeating: fault, count: min(max(0, count), 1000)))
        return mediaFaults.count
    }

    /// The simulated user's SDP for call `callID`, changed by the first pending media fault if any.
    func applyMediaFault(to sdp: String, callID: String) -> String {
        guard !mediaFaults.isEmpty else { return sdp }
        let fault = mediaFaults.removeFirst()
        var sinkHost = "127.0.0.1"
        var sinkPort = 9
        if fault == .mediaUnreachable, let sink = UDPSink(host: sinkHost) {
            mediaSinks[callID] = sink
            sinkHost = sink.host
            sinkPort = sink.port
        }
        logger.info("simulated media fault", metadata: ["wacid": "\(callID)", "fault": "\(fault.rawValue)"])
        return fault.apply(to: sdp, sinkHost: sinkHost, sinkPort: sinkPort)
    }
}
