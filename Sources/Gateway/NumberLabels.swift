import Config

/// The `number` label of each business number served: its name, the
/// `[number:NAME]` section or the name onboarding gave it (onboarding names are
/// letters, digits, `-` and `_`, unique among served numbers, so they are valid
/// label values and never a phone number).
///
/// The label set is bounded: at most ``capacity`` distinct names are ever
/// labelled in one run; a number beyond that (an operator onboarding and
/// removing numbers without end) is counted as `other`, like an unknown id.
struct NumberLabels: Sendable {
    /// Distinct names labelled at most in one run.
    static let capacity = 256
    /// phone_number_id → label, for the numbers served now.
    private var names: [String: String] = [:]
    /// Every name labelled so far (their series exist).
    private(set) var labelled: Set<String> = []

    /// The label of phone number id `id`: its name, else `other`.
    func label(of id: String) -> String {
        names[id] ?? NumberConfig.unlabelledName
    }

    /// Labels by `served` from now on; returns the names labelled for the first time.
    mutating func follow(_ served: [NumberConfig]) -> [String] {
        var next: [String: String] = [:]
        var fresh: [String] = []
        for number in served where next[number.phoneNumberID] == nil {
            if labelled.contains(number.name) {
                next[number.phoneNumberID] = number.name
            } else if labelled.count < Self.capacity {
                labelled.insert(number.name)
                fresh.append(number.name)
                next[number.phoneNumberID] = number.name
            }
        }
        names = next
        return fresh
    }
}
