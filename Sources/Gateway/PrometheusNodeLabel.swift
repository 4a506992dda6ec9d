/// The `node` label a cluster node puts on every sample of its `/metrics`, so one
/// Prometheus query can compare or sum the nodes whatever the scrape's own labels
/// (the `instance` label is an address, and changes when a node moves).
enum PrometheusNodeLabel {
    /// `text` (Prometheus text format) with `node="<node>"` first in every sample's labels.
    static func apply(_ text: String, node: String) -> String {
        let label = "node=\"\(escape(node))\""
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if line.isEmpty || line.hasPrefix("#") { return String(line) }
            if let brace = line.firstIndex(of: "{"), line[..<brace].allSatisfy({ $0 != " " }) {
                let after = line.index(after: brace)
                return line[..<after] + label + (line[after] == "}" ? "" : ",") + line[after...]
            }
            if let space = line.firstIndex(of: " ") { return line[..<space] + "{" + label + "}" + line[space...] }
            return String(line)
        }.joined(separator: "\n")
    }

    private static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
