/// Sandbox mode: what the simulated WhatsApp users send back on a call
/// (`[whatsapp] simulator_media`), parsed once here.
public enum SimulatorMedia: Sendable, Equatable {
    /// A steady sine tone of this frequency in hertz (50–4000).
    case tone(hertz: Double)
    /// The caller's own audio, echoed.
    case echo

    /// The frequencies accepted for `tone:HZ`.
    public static let toneRange: ClosedRange<Double> = 50...4000

    /// Parses `echo` or `tone:HZ` (case-insensitive); nil for anything else,
    /// including a frequency outside ``toneRange``.
    public static func parse(_ text: String) -> SimulatorMedia? {
        let value = TextScanning.asciiLowercased(text)
        if value == "echo" { return .echo }
        guard value.hasPrefix("tone:"), let hertz = Double(value.dropFirst(5)), hertz.isFinite,
              toneRange.contains(hertz) else { return nil }
        return .tone(hertz: hertz)
    }
}
