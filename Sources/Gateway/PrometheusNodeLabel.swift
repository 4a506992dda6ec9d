/// The `node` label a cluster node puts on every sample of its `/metrics`, so one
/// Prometheus query can compare or sum the nodes whatever the scrape's own labels
/// (the `instance` label is an address, and changes when a node moves).
enum PrometheusNodeLabel {
    /// `text` (Prometheus text format) with `node="<node>"` first in every sample's labels.
    static func apply(_ text: String, node: String) -> String {
        let label = "node=\"\(escape(node))\""
        var out = ""
        out.reserveCapacity(text.utf8.count + text.utf8.count / 4)
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty || line.hasPrefix("#") {
                out += line
            } else if let brace = line.firstIndex(of: "{"), line[..<brace].allSatisfy({ $0 != " " }) {
                let after = line.index(after: brace)
                out += line[..<after] + label + (line[after] == "}" ? "" : ",") + line[after...]
            } else if let space = line.firstIndex(of: " ") {
                out += line[..<space] + "{" + label + "}" + line[space...]
            } else {
                out += line
            }
            out += "\n"
        }
        if !text.hasSuffix("\n"), out.hasSuffix("\n") { out.removeLast() }
        return out
    }

    private static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
