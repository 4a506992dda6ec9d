import Foundation

// Meta-side call recording and transcription (docs/whatsapp.md#call-recording-and-transcription):
// keys of [whatsapp], of `type = number` sections (each key a number does not
// set comes from [whatsapp]) and of `type = user` sections (a user's keys
// override the number's for calls that user places or answers).

/// Whether Meta records and/or transcribes a call, and the announcement both
/// parties hear before it does. Every field is optional so that a section
/// states only what it overrides; ``resolved`` gives the values a call uses.
public struct MetaCaptureConfig: Sendable, Equatable {
    /// `meta_recording`: Meta records the call's audio.
    public var recording: Bool?
    /// `meta_transcription`: Meta transcribes the call.
    public var transcription: Bool?
    /// `meta_capture_purpose`: spoken to both parties in the announcement (1–250 characters).
    public var purpose: String?
    /// `meta_announcement_language`: the announcement's locale (`en_US`, `es`, …).
    public var announcementLanguage: String?

    /// The language used when no section sets one.
    public static let defaultLanguage = "en_US"
    /// Meta's limit on `purpose`.
    public static let maxPurposeLength = 250
    /// The `announcement_language` values Meta's recording and transcription pages list.
    public static let languages: Set<String> = ["en", "en_US", "en_AU", "en_CA", "en_GB", "en_IN", "en_NZ", "nl",
                                                "fr", "de", "hi", "it", "kn", "pt", "es", "es_ES", "te", "vi"]

    /// Creates a value.
    public init(recording: Bool? = nil, transcription: Bool? = nil, purpose: String? = nil,
                announcementLanguage: String? = nil) {
        self.recording = recording
        self.transcription = transcription
        self.purpose = purpose
        self.announcementLanguage = announcementLanguage
    }

    /// Each field this value does not set, taken from `base`.
    public func inheriting(from base: MetaCaptureConfig) -> MetaCaptureConfig {
        MetaCaptureConfig(recording: recording ?? base.recording, transcription: transcription ?? base.transcription,
                          purpose: purpose ?? base.purpose,
                          announcementLanguage: announcementLanguage ?? base.announcementLanguage)
    }

    /// Whether Meta is asked for anything.
    public var isEnabled: Bool { recording == true || transcription == true }

    /// The values a call uses: unset toggles off, the default language.
    public var resolved: MetaCaptureConfig {
        MetaCaptureConfig(recording: recording ?? false, transcription: transcription ?? false, purpose: purpose,
                          announcementLanguage: announcementLanguage ?? Self.defaultLanguage)
    }
}

extension ConfigValidator {
    /// The keys ``buildMetaCapture(_:base:)`` reads.
    static let metaCaptureKeys = ["meta_recording", "meta_transcription", "meta_capture_purpose",
                                  "meta_announcement_language"]

    /// Validates the Meta recording keys of a section; `base` is what it inherits
    /// (used only to check that an enabled capture has a purpose).
    func buildMetaCapture(_ reader: SectionReader, base: MetaCaptureConfig = .init()) -> MetaCaptureConfig {
        var capture = MetaCaptureConfig()
        if reader.has("meta_recording") { capture.recording = reader.bool("meta_recording", default: false) }
        if reader.has("meta_transcription") { capture.transcription = reader.bool("meta_transcription", default: false) }
        if let entry = reader.usable("meta_capture_purpose") {
            let text = entry.value.trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text.count > MetaCaptureConfig.maxPurposeLength || text.contains(where: \.isNewline) {
                reader.bad(entry, expected: "text of 1-\(MetaCaptureConfig.maxPurposeLength) characters")
            } else {
                capture.purpose = text
            }
        }
        if let entry = reader.usable("meta_announcement_language") {
            if MetaCaptureConfig.languages.contains(entry.value) { capture.announcementLanguage = entry.value } else {
                reader.bad(entry, expected: "one of Meta's announcement languages: "
                    + MetaCaptureConfig.languages.sorted().joined(separator: ", "))
            }
        }
        let effective = capture.inheriting(from: base)
        if capture.isEnabled, effective.purpose == nil, !reader.has("meta_capture_purpose") {
            let key = capture.recording == true ? "meta_recording" : "meta_transcription"
            reader.problem(reader.line(of: key), "'\(key) = yes' needs meta_capture_purpose (here or in [whatsapp]): "
                + "Meta speaks it to both parties and refuses the call without it")
        }
        return capture
    }
}
