// Which stored properties of one configuration section differ, found by
// reflection so a key added to a section is compared without a list to update.

/// The properties of a section value that differ between two values.
struct ConfigFieldDiff<Section> {
    /// Property names that differ, in declaration order.
    let changed: [String]

    /// Compares `running` with `loaded`, property by property.
    init(_ running: Section, _ loaded: Section) {
        let new = Dictionary(Mirror(reflecting: loaded).children.compactMap { child in
            child.label.map { ($0, child.value) }
        }, uniquingKeysWith: { first, _ in first })
        changed = Mirror(reflecting: running).children.compactMap { child in
            guard let label = child.label, let other = new[label] else { return nil }
            return Self.equal(child.value, other) ? nil : label
        }
    }

    /// Values compare by `==` when they are `Equatable` (a ``Secret`` hides
    /// itself from reflection, so its text cannot be compared).
    private static func equal(_ left: Any, _ right: Any) -> Bool {
        guard let left = left as? any Equatable else { return String(reflecting: left) == String(reflecting: right) }
        return left.isEqual(to: right)
    }

    /// The config-file key of property `name` (`rtpPortRange` is `rtp_port_range`).
    static func key(_ name: String) -> String {
        switch name {
        case "listeners": return "listen"
        case "tls": return "tls_certificate"
        case "overload": return "source_invite_rate"
        case "resilience": return "graph_retries"
        case "recordingDirectory": return "recording_path"
        case "recordingMode": return "recording"
        case "simulatorSIPListen": return "simulator_sip_listen"
        case "simulatorSIPIdentity": return "simulator_sip_certificate"
        default:
            var key = ""
            for character in name {
                if character.isUppercase { key += "_" + character.lowercased() } else { key.append(character) }
            }
            return key
        }
    }
}

extension Equatable {
    /// True when `other` is a value of this type equal to `self`.
    fileprivate func isEqual(to other: Any) -> Bool {
        (other as? Self) == self
    }
}
