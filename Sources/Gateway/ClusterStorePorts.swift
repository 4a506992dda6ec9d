// Call control's cluster ports over the store the nodes share: call slots,
// Meta's permission request limits, and claims of work one node does for all.

import CallControl
import Foundation
import Logging
import Store

/// Call control's ``CallControl/CallSlots`` over the shared store.
struct StoreCallSlots: CallSlots {
    let store: GatewayStore
    let nodeID: String
    let logger: Logger

    func reserve(call: CallID, requests: [CallSlotRequest]) async -> String? {
        do {
            return try await store.takeSlots(callID: call.rawValue, nodeID: nodeID,
                                             limits: requests.map { CallSlotLimit(scope: $0.scope, limit: $0.limit) },
                                             now: Date())
        } catch {
            logger.debug("cluster slots not taken (store unreachable); the limits of this node apply",
                         metadata: ["call_id": "\(call)", "error": "\(error)"])
            return nil
        }
    }

    func release(call: CallID) async {
        try? await store.releaseSlots(callID: call.rawValue)
    }
}

/// Call control's ``CallControl/SharedRequestLimits`` over the shared store.
struct StoreRequestLimits: SharedRequestLimits {
    let store: GatewayStore
    let logger: Logger

    func claim(user: WhatsAppUser, number: WhatsAppNumberID, requestID: String, now: Date) async -> Bool {
        do {
            return try await store.claimPermissionRequest(
                PermissionRequestEntry(numberID: number.rawValue, userKeys: user.identifiers, requestID: requestID),
                now: now, perDay: PermissionRequestLimiter.perDay, perWeek: PermissionRequestLimiter.perWeek)
        } catch {
            logger.debug("permission request not counted in the cluster (store unreachable); this node's count applies",
                         metadata: ["error": "\(error)"])
            return true
        }
    }

    func refund(number: WhatsAppNumberID, requestID: String) async {
        try? await store.refundPermissionRequest(numberID: number.rawValue, requestID: requestID)
    }

    func hold(user: WhatsAppUser, number: WhatsAppNumberID, until: Date) async {
        try? await store.holdPermissionRequests(numberID: number.rawValue, userKeys: user.identifiers, until: until)
    }

    func reset(user: WhatsAppUser, number: WhatsAppNumberID) async {
        try? await store.resetPermissionRequests(numberID: number.rawValue, userKeys: user.identifiers)
    }
}

/// Call control's ``CallControl/ClusterClaims`` over the shared store.
struct StoreClusterClaims: ClusterClaims {
    let store: GatewayStore
    let nodeID: String
    let logger: Logger

    func claimOnce(_ key: String, window: Duration) async -> Bool {
        do {
            return try await store.claimOnce(key, nodeID: nodeID, now: Date(),
                                             window: TimeInterval(window.components.seconds))
        } catch {
            logger.debug("cluster claim not made (store unreachable); done here", metadata: ["error": "\(error)"])
            return true
        }
    }
}
