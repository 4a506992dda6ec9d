// What the admin API acts on; the gateway implements it over call control, the
// registrar and the store. The API decides nothing about calls.

import Foundation

/// The admin API's back end.
public protocol AdminBackend: Sendable {
    /// Every call in call control's table.
    func calls() async -> [AdminCall]
    /// Ends `callID` on both legs; 404 when there is no such call.
    func hangUp(callID: String) async throws(AdminFailure)
    /// Starts (`on`) or stops recording `callID`; the recording's path.
    func record(callID: String, on: Bool) async throws(AdminFailure) -> String
    /// Registered contacts.
    func registrations() async -> [AdminRegistration]
    /// Call detail records matching `query`, JSON-encodable.
    func records(_ query: AdminRecordQuery) async throws(AdminFailure) -> [any Encodable & Sendable]
    /// One call detail record; 404 when there is none.
    func record(callID: String) async throws(AdminFailure) -> any Encodable & Sendable
    /// Stops (`on`) or resumes taking new calls; live calls go on either way.
    func setDraining(_ on: Bool) async -> AdminReadiness
    /// Re-reads the configuration file: 200 and the report when applied or
    /// unchanged, 422 and the report with the file's errors when refused.
    func reload() async -> (status: Int, report: any Encodable & Sendable)
    /// Whether the node takes new calls.
    func readiness() async -> AdminReadiness
    /// The cluster's nodes and every node's calls in progress, from the shared store
    /// (a single node answers with itself and its calls).
    func cluster() async throws(AdminFailure) -> any Encodable & Sendable
}
