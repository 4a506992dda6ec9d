// Numbers added and removed while the gateway runs (onboarded through Embedded
// Signup, or loaded from the store at start). Call control owns the table it
// routes by: `router.config.numbers`, with `admission` kept in step.
//
// An added number takes inbound calls and webhooks at once. A removed number
// takes no new calls (its webhooks become "unknown number"), while calls in
// progress on it finish normally: their webhooks are still accepted.

public import Config
import Foundation

extension CallControl {
    /// Serves `number` from now on; replaces an earlier runtime number with the
    /// same id. False when a config-file number already has that id or name,
    /// or the name is the one /metrics reserves for unknown numbers.
    @discardableResult
    public func addNumber(_ number: NumberConfig) -> Bool {
        let id = number.phoneNumberID
        guard number.name != NumberConfig.unlabelledName else { return false }
        let isRuntime = admission.runtimeNumbers.contains(id)
        if !isRuntime, router.config.numbers.contains(where: { $0.phoneNumberID == id || $0.name == number.name }) {
            return false
        }
        var numbers = router.config.numbers.filter { $0.phoneNumberID != id }
        numbers.append(number)
        router.config.numbers = numbers
        admission.config.numbers = numbers
        admission.runtimeNumbers.insert(id)
        numberState.loggedUnknown.remove(WhatsAppNumberID(id))
        logger.info("business number added", metadata: ["phone_number_id": "\(id)", "number": "\(number.name)"])
        return true
    }

    /// Stops serving the runtime number `phoneNumberID`; nil when it is not one.
    @discardableResult
    public func removeNumber(_ phoneNumberID: String) -> NumberConfig? {
        guard admission.runtimeNumbers.contains(phoneNumberID),
              let removed = router.config.number(withID: phoneNumberID) else { return nil }
        let numbers = router.config.numbers.filter { $0.phoneNumberID != phoneNumberID }
        router.config.numbers = numbers
        admission.config.numbers = numbers
        admission.runtimeNumbers.remove(phoneNumberID)
        permissions[WhatsAppNumberID(phoneNumberID)] = nil
        logger.info("business number removed", metadata: [
            "phone_number_id": "\(phoneNumberID)", "number": "\(removed.name)",
            "calls_in_progress": "\(numberCallCounts()[WhatsAppNumberID(phoneNumberID)] ?? 0)"])
        return removed
    }

    /// Every number served, config-file ones first, and which were added at runtime.
    public func servedNumbers() -> (numbers: [NumberConfig], runtime: Set<String>) {
        (router.config.numbers, admission.runtimeNumbers)
    }
}
