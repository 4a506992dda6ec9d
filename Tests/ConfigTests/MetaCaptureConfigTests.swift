// Meta-side recording and transcription keys: inheritance from [whatsapp] to
// numbers, a user's keys overriding key by key, and FILE:LINE errors.

import Testing
@testable import Config

@Suite("meta recording and transcription keys")
struct MetaCaptureConfigTests {
    static let config = TestSupport.minimal + """

        meta_transcription = no

        [whatsapp]
        meta_recording = yes
        meta_capture_purpose = quality assurance
        meta_announcement_language = es

        [sales]
        type = number
        phone_number_id = 111
        business_number = +15550100000

        [support]
        type = number
        phone_number_id = 222
        business_number = +15550100001
        meta_recording = no
        meta_transcription = yes
        meta_announcement_language = en_GB
        """

    @Test func numbersInheritEachKeyTheyDoNotSet() throws {
        let config = try TestSupport.parse(Self.config)
        let sales = try #require(config.number(named: "sales")).metaCapture
        #expect(sales == MetaCaptureConfig(recording: true, purpose: "quality assurance", announcementLanguage: "es"))
        let support = try #require(config.number(named: "support")).metaCapture
        #expect(support == MetaCaptureConfig(recording: false, transcription: true, purpose: "quality assurance",
                                             announcementLanguage: "en_GB"))
    }

    @Test func aUserKeepsOnlyWhatItSetsAndOverridesTheNumberKeyByKey() throws {
        let config = try TestSupport.parse(Self.config)
        let alice = try #require(config.user(named: "alice")).metaCapture
        #expect(alice == MetaCaptureConfig(transcription: false))
        let sales = try #require(config.number(named: "sales")).metaCapture
        #expect(alice.inheriting(from: sales).resolved
            == MetaCaptureConfig(recording: true, transcription: false, purpose: "quality assurance",
                                 announcementLanguage: "es"))
    }

    @Test func resolvedTurnsUnsetTogglesOffAndDefaultsTheLanguage() {
        let resolved = MetaCaptureConfig().resolved
        #expect(resolved.recording == false && resolved.transcription == false && !resolved.isEnabled)
        #expect(resolved.announcementLanguage == "en_US")
    }

    @Test func badValuesAreReportedAtTheirLine() {
        let problems = TestSupport.problems(TestSupport.minimal + """

            [whatsapp]
            meta_recording = maybe
            meta_announcement_language = klingon
            meta_capture_purpose = \(String(repeating: "x", count: 251))
            """)
        #expect(problems.contains { $0.hasPrefix("sip.conf:9:") && $0.contains("meta_recording") })
        #expect(problems.contains { $0.hasPrefix("sip.conf:10:") && $0.contains("announcement languages") })
        #expect(problems.contains { $0.hasPrefix("sip.conf:11:") && $0.contains("1-250 characters") })
    }

    @Test func enablingWithoutAPurposeIsRefusedBecauseMetaRefusesTheCall() {
        let problems = TestSupport.problems(TestSupport.minimal + "\nmeta_transcription = yes\n")
        #expect(problems.count == 1)
        #expect(problems.first?.contains("meta_capture_purpose") == true)
        #expect(problems.first?.hasPrefix("sip.conf:8:") == true)
    }
}

