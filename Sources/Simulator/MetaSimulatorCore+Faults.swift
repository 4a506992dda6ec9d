import Foundation
import WhatsAppCloud

/// Which pending fault a Graph request meets.
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
}
