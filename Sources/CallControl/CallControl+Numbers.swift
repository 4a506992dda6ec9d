// Business numbers in call control: which calls each number carries, its
// limits, and webhooks for numbers this gateway does not serve.
//
// A webhook whose `metadata.phone_number_id` is not configured is acknowledged
// (the receiver already answered 200 after checking the signature), logged once
// per number id, counted, and otherwise ignored: nothing rings and nothing is
// rejected or terminated. Meta delivers every number of the app's subscribed
// WABAs to one callback URL, so the call may belong to another system serving
// that number; rejecting it would hang up on someone else's caller.
//
// A `calls` webhook for a number in SIP mode is acknowledged, logged once per
// wacid, counted, and ignored: Meta may send them beside the SIP dialog, and
// the dialog is the authority for those calls. Messages webhooks (permission
// replies, user messages) for such numbers apply as for any number.

import Config
import Foundation
import Logging

extension CallControl {
    /// Unknown number ids remembered for "log once"; past this, one summary a minute.
    static let unknownNumberLogCapacity = 64

    /// The configured number with Graph id `id`.
    func numberConfig(_ id: WhatsAppNumberID) -> NumberConfig? {
        router.config.number(withID: id.rawValue)
    }

    /// Calls not yet ended (and inbound calls being routed) by business number.
    func numberCallCounts() -> [WhatsAppNumberID: Int] {
        var counts: [WhatsAppNumberID: Int] = [:]
        for entry in calls.values where !entry.machine.isEnded && entry.machine.direction != .echo {
            counts[entry.number, default: 0] += 1
        }
        for number in numberState.routing.values { counts[number, default: 0] += 1 }
        return counts
    }

    /// 503 with Retry-After when `number`'s `call_rate` has no connect left; else takes one.
    func numberRateRefusal(_ number: WhatsAppNumberID) -> SIPRefusal? {
        guard let config = numberConfig(number), let rate = config.callRate else { return nil }
        let window = TimeInterval(rate.window.components.seconds)
        guard let wait = numberState.connectRates.take(number, rate: (rate.count, window), now: clock.now) else { return nil }
        counters.countRefusal(number: config.name, limit: .rate)
        return Admission.numberBusy(config, what: "call rate", retryAfter: wait)
    }

    /// Counts a refusal by a number's `max_calls`, when `refusal` is one.
    func countNumberLimit(_ refusal: SIPRefusal, number: WhatsAppNumberID?) {
        guard refusal.reason == .limit, refusal.response.warning?.hasPrefix("business number") == true,
              let number, let config = numberConfig(number) else { return }
        counters.countRefusal(number: config.name, limit: .calls)
    }

    /// Whether a webhook for `number` is for this gateway; counts and logs (once per id) when not.
    /// Webhooks without `metadata.phone_number_id` are taken as for the default number.
    func acceptsNumber(_ number: WhatsAppNumberID?) -> Bool {
        guard let number, numberConfig(number) == nil else { return true }
        // A number removed at runtime: its calls in progress still get their webhooks.
        if numberCallCounts()[number] != nil { return true }
        counters.countUnknownNumberWebhook()
        if numberState.loggedUnknown.contains(number) { return false }
        if numberState.loggedUnknown.count < Self.unknownNumberLogCapacity {
            numberState.loggedUnknown.insert(number)
            logger.warning("webhook for a phone_number_id that is not configured: acknowledged and ignored",
                           metadata: ["phone_number_id": "\(TextLimit.excerpt(number.rawValue))"])
        } else if numberState.unknownSummaryAt.map({ clock.now.timeIntervalSince($0) >= 60 }) ?? true {
            numberState.unknownSummaryAt = clock.now
            logger.warning("webhooks for more phone_number_ids that are not configured: acknowledged and ignored",
                           metadata: ["count": "\(counters.unknownNumberWebhooks)"])
        }
        return false
    }
}

extension CallControl {
    /// wacids whose ignored SIP-mode webhooks were logged; cleared when full.
    static let sipModeLogCapacity = 256

    /// False for a `calls` event (connect, status, terminate) for a number in SIP
    /// mode, which is counted and logged once per wacid; true for anything else.
    func acceptsCallWebhook(_ event: WhatsAppEvent, number: WhatsAppNumberID?) -> Bool {
        guard let wacid = event.wacid, let config = numberConfig(number ?? settings.defaultNumber),
              config.signaling == .sip else { return true }
        counters.countSIPModeCallWebhook()
        if numberState.loggedSIPMode.count >= Self.sipModeLogCapacity { numberState.loggedSIPMode.removeAll() }
        if numberState.loggedSIPMode.insert(wacid).inserted {
            logger.notice("calls webhook for a SIP-mode number: acknowledged and ignored (the SIP dialog decides)",
                          metadata: ["wacid": "\(TextLimit.excerpt(wacid.rawValue))", "number": "\(config.name)"])
        }
        return false
    }
}

/// Call control's bookkeeping per business number.
struct NumberState {
    /// wacids of SIP-mode numbers whose ignored calls webhooks were logged.
    var loggedSIPMode: Set<WACID> = []
    /// The business numbers of the inbound wacids being routed.
    var routing: [WACID: WhatsAppNumberID] = [:]
    /// Recent connects per business number, for `call_rate`.
    var connectRates = ConnectRateWindow()
    /// Unknown phone_number_ids already logged.
    var loggedUnknown: Set<WhatsAppNumberID> = []
    /// When the last "more unknown numbers" summary was logged.
    var unknownSummaryAt: Date?
}

/// Bounds outside text put in logs.
enum TextLimit {
    /// At most 64 characters of `text`.
    static func excerpt(_ text: String) -> String {
        text.count <= 64 ? text : String(text.prefix(64)) + "…"
    }
}
