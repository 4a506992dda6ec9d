import Foundation

/// The `recording` or `transcription` object of a `connect` or `accept`
/// (Meta's "Call recording" and "Call transcription" pages): Meta announces the
/// purpose to both parties in `announcement_language`, then records or
/// transcribes, and reports the result in a `call_recording_available` /
/// `call_transcription_available` webhook after the call.
public struct CallCaptureRequest: Codable, Sendable, Equatable {
    /// `ENABLED` or `DISABLED`.
    public var status: String
    /// Spoken to both parties; required when enabled, at most 250 characters.
    public var purpose: String?
    /// The announcement's locale (`en_US`, `es`, …); required when enabled.
    public var announcementLanguage: String?

    /// An enabled object.
    public static func enabled(purpose: String, announcementLanguage: String) -> Self {
        Self(status: "ENABLED", purpose: purpose, announcementLanguage: announcementLanguage)
    }

    /// Creates a value.
    public init(status: String, purpose: String? = nil, announcementLanguage: String? = nil) {
        self.status = status
        self.purpose = purpose
        self.announcementLanguage = announcementLanguage
    }

    enum CodingKeys: String, CodingKey {
        case status, purpose
        case announcementLanguage = "announcement_language"
    }
}

/// What Meta is asked to capture on one call: each object only when enabled.
public struct CallCapture: Sendable, Equatable {
    /// The `recording` object, or nil to leave it out.
    public var recording: CallCaptureRequest?
    /// The `transcription` object, or nil to leave it out.
    public var transcription: CallCaptureRequest?

    /// Nothing captured: the request carries neither object.
    public static let none = CallCapture()

    /// Creates a value.
    public init(recording: CallCaptureRequest? = nil, transcription: CallCaptureRequest? = nil) {
        self.recording = recording
        self.transcription = transcription
    }
}

extension CallActionRequest {
    /// This request with `capture`'s objects (connect and accept only).
    public func capturing(_ capture: CallCapture) -> Self {
        var request = self
        request.recording = capture.recording
        request.transcription = capture.transcription
        return request
    }
}
