// Business-initiated connects per business number in a sliding window, so a
// number's `call_rate` refuses calls before Meta answers 138005.

import Foundation

/// The recent connects of each business number.
struct ConnectRateWindow {
    /// Connect times by number, oldest first; each list is at most the number's `call_rate` count long.
    private var times: [WhatsAppNumberID: [Date]] = [:]

    /// Takes one connect of `number` at `now` when `rate` allows it; else the
    /// seconds until it would (at least 1), and nothing is taken.
    mutating func take(_ number: WhatsAppNumberID, rate: (count: Int, window: TimeInterval), now: Date) -> Int? {
        var recent = times[number, default: []]
        recent.removeAll { now.timeIntervalSince($0) >= rate.window }
        if recent.count >= rate.count, let oldest = recent.first {
            times[number] = recent
            let wait = rate.window - now.timeIntervalSince(oldest)
            return max(1, Int(wait.rounded(.up)))
        }
        recent.append(now)
        times[number] = recent
        return nil
    }
}
