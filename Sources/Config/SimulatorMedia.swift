/// Sandbox mode: what the simulated WhatsApp users send back on a call
/// (`[whatsapp] simulator_media`), parsed once here.
public enum SimulatorMedia: Sendable, Equatable {
    /// A steady sine tone of this frequency in hertz (50–4000).
    case tone(hertz: Double)
    /// The caller's own audio, echoed.
    case echo
    /// A tone of this frequency encoded once at start and replayed, with nothing
    /// heard decoded: the simulated users cost next to no CPU (load runs).
    case cheapTone(hertz: Double)

    /// The frequencies accepted for `tone:HZ`.
    public static let toneRange: ClosedRange<Double> = 50...4000

    /// Parses `echo`, `tone:HZ`, `cheap` (a 440 Hz cheap tone) or `cheap:HZ`
    /// (case-insensitive); nil for anything else, including a frequency outside ``toneRange``.
    public static func parse(_ text: String) -> SimulatorMedia? {
        let value = TextScanning.asciiLowercased(text)
        if value == "echo" { return .echo }
        if value == "cheap" { return .cheapTone(hertz: 440) }
        let cheap = value.hasPrefix("cheap:")
        guard cheap || value.hasPrefix("tone:"), let hertz = Double(value.drop { $0 != ":" }.dropFirst()), hertz.isFinite,
              toneRange.contains(hertz) else { return nil }
        return cheap ? .cheapTone(hertz: hertz) : .tone(hertz: hertz)
    }
}
