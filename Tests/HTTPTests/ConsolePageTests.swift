import Foundation
import HTTP
import Testing

/// The web console's resources as text, and the chart's hourly buckets.
@Suite struct ConsolePageTests {
    @Test func thePolicyAllowsNothingInlineOrForeign() {
        let policy = ConsolePage.contentSecurityPolicy
        for directive in ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
                          "frame-ancestors 'none'", "form-action 'none'", "base-uri 'none'"] {
            #expect(policy.contains(directive))
        }
        #expect(!policy.contains("unsafe"))
        // Nothing inline that the policy would block, and no external asset.
        #expect(!ConsolePage.html.contains("<style"))
        #expect(!ConsolePage.html.contains("style=\""))
        #expect(ConsolePage.html.range(of: #" on[a-z]+="#, options: .regularExpression) == nil, "no inline handlers")
        #expect(!ConsolePage.html.contains("http"), "no external asset")
        #expect(ConsolePage.html.components(separatedBy: "<script").count == 2)
        #expect(ConsolePage.html.contains(#"<script src="/console/console.js"></script>"#))
    }

    @Test func theScriptNeverParsesDataAsMarkup() {
        for sink in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"] {
            #expect(!ConsolePage.script.contains(sink), "\(sink)")
        }
        #expect(ConsolePage.script.contains("sessionStorage.setItem(tokenKey"))
        #expect(ConsolePage.script.contains(#""Authorization": "Bearer " + token"#))
    }

    @Test func hoursEndWithTheCurrentOneAndAverageOnlyMeasuredCalls() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)  // a whole hour
        let hour = 3600.0
        let samples = [
            ConsoleCallSample(setupAt: now.addingTimeInterval(-10), answered: true, failed: false, mos: 4.0),
            ConsoleCallSample(setupAt: now.addingTimeInterval(-20), answered: true, failed: false, mos: 3.0),
            ConsoleCallSample(setupAt: now.addingTimeInterval(-30), answered: false, failed: true, mos: nil),
            ConsoleCallSample(setupAt: now.addingTimeInterval(-2 * hour), answered: true, failed: false, mos: .nan),
            ConsoleCallSample(setupAt: now.addingTimeInterval(-30 * hour), answered: true, failed: false, mos: 4),
            ConsoleCallSample(setupAt: now.addingTimeInterval(hour), answered: true, failed: false, mos: 4),
        ]
        let hours = ConsoleHourlyStats.buckets(samples, hours: 24, now: now)
        #expect(hours.count == 24)
        #expect(hours.last?.start == now)
        let last = try #require(hours.last), previous = hours[hours.count - 2], earlier = hours[hours.count - 3]
        #expect((last.calls, last.answered, last.failed, last.rated) == (0, 0, 0, 0))
        #expect((previous.calls, previous.answered, previous.failed, previous.rated) == (3, 2, 1, 2))
        #expect(previous.mos == 3.5)
        #expect((earlier.calls, earlier.rated, earlier.mos) == (1, 0, nil))
        #expect(hours.map(\.calls).reduce(0, +) == 4)
    }

    @Test func hoursAreClampedAndEncodedAsTheConsoleReadsThem() throws {
        let now = Date(timeIntervalSince1970: 1_800_001_234)
        #expect(ConsoleHourlyStats.buckets([], hours: 0, now: now).count == 1)
        #expect(ConsoleHourlyStats.buckets([], hours: 100_000, now: now).count == ConsoleHourlyStats.maximumHours)
        let sample = ConsoleCallSample(setupAt: now, answered: true, failed: false, mos: 4.25)
        let data = try ConsoleHourlyStats.json(ConsoleHourlyStats.buckets([sample], hours: 2, now: now))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [[String: Any]]])
        let hours = try #require(object["hours"])
        #expect(hours.count == 2)
        #expect(hours[0]["mos"] == nil && hours[0]["calls"] as? Int == 0)
        #expect(hours[1]["start"] as? String == "2027-01-15T08:00:00Z")
        #expect(hours[1]["mos"] as? Double == 4.25 && hours[1]["calls"] as? Int == 1)
    }
}
