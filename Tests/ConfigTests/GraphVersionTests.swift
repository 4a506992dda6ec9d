// Meta's Graph API version schedule: parsing, and where a version stands on a day.

import Config
import Foundation
import Testing

@Suite("Graph API versions")
struct GraphVersionTests {
    private func day(_ text: String) -> Date { GraphVersion.day(text)! }

    @Test("vNN.N parses; anything else does not")
    func parsing() {
        #expect(GraphVersion("v26.0") == GraphVersion(major: 26, minor: 0))
        #expect(GraphVersion("v3.3")?.description == "v3.3")
        for bad in ["26.0", "v26", "v26.", "v.0", "v26.0.1", "v+26.0", "v12345.0", "V26.0", ""] {
            #expect(GraphVersion(bad) == nil, "\(bad)")
        }
    }

    @Test("the default is the newest version in Meta's table, with no expiry announced")
    func defaultIsCurrent() {
        #expect(WhatsAppConfig.defaults.graphVersion == "v26.0")
        #expect(GraphVersion.current.lifetime(at: day("2026-12-06")) == .supported)
    }

    @Test("v21.0: supported until 90 days before 2027-01-21, then a warning, then expired on the day")
    func v21Lifecycle() {
        let v21 = GraphVersion(major: 21, minor: 0)
        let expiry = day("2027-01-21")
        #expect(v21.lifetime(at: day("2026-10-22")) == .supported)
        #expect(v21.lifetime(at: day("2026-10-23")) == .expiresSoon(expiry))
        #expect(v21.lifetime(at: day("2026-12-06")) == .expiresSoon(expiry))
        #expect(v21.lifetime(at: day("2027-01-20")) == .expiresSoon(expiry))
        #expect(v21.lifetime(at: expiry) == .expired(expiry))
    }

    @Test("a retired version, one older than the table, and one the table does not list")
    func otherVersions() {
        #expect(GraphVersion(major: 20, minor: 0).lifetime(at: day("2026-12-06")) == .expired(day("2026-09-24")))
        #expect(GraphVersion(major: 12, minor: 0).lifetime(at: day("2026-12-06")) == .expired(nil))
        #expect(GraphVersion(major: 27, minor: 0).lifetime(at: day("2026-12-06")) == .unlisted)
        #expect(GraphVersion(major: 21, minor: 1).lifetime(at: day("2026-12-06")) == .unlisted)
    }

    @Test("days parse strictly as UTC midnights")
    func days() {
        #expect(GraphVersion.day("2027-01-21")?.timeIntervalSince1970 == 1_800_489_600)
        for bad in ["2027-1", "2027-13-01", "2027-01-32", "20270121", "2027-01-21T00", "-2027-01-21", "+207-01-21"] {
            #expect(GraphVersion.day(bad) == nil, "\(bad)")
        }
    }
}
