import AsyncHTTPClient
import Config
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Store
import WhatsAppCloud

/// Hands each admitted call event to the node that owns the call (docs/cluster.md).
///
/// The owner is the `call_owners` row of the call's wacid: written by the node
/// that places a business-initiated call once Meta gives its id, and for a call
/// from a WhatsApp user by the node that receives its `connect`, for the node it
/// picks (``ClusterMembership/ownerForNewCall(now:)``). Events for another alive
/// node go to it in one HTTP POST of the original body, with Meta's signature and
/// an `X-Wagate-Forward` header naming them; the receiver checks both. Events
/// without a call are handled where they land. Those about a user (a permission
/// reply, a message that opens a customer service window) also go to every
/// other alive node: each node keeps its own permission cache, service windows,
/// armed callbacks and agents waiting for a reply, and the one that armed a
/// callback is the one that places it. This is how Kamailio's DMQ replicates
/// per-user state between proxies.
///
/// When the store cannot be read, a `connect` stays here, and the other call
/// events go to every alive peer as well as here: whichever node has the call
/// handles it, and the others ignore an event for a call they do not know.
/// A forward that fails (the owner died) is handled here; a survivor ends the
/// dead node's calls through the Graph API anyway.
struct ClusterWebhookRouter: WebhookRouting {
    let membership: ClusterMembership
    let store: GatewayStore
    let secret: String
    let webhookPath: String
    let http: HTTPClient
    let logger: Logger
    /// How long an event waits for its call's owner row (a status that overtakes
    /// the Graph API's answer to the node that placed the call).
    static let ownerWait: TimeInterval = 2

    func accept(forward header: String, signature: String) -> Set<String>? {
        WebhookForward.verify(header, secret: secret, signature: signature).map { Set($0.keys) }
    }

    func route(_ admitted: [WebhookEvent], of delivery: WebhookDelivery) async -> [WebhookEvent] {
        let me = await membership.nodeID
        var local: [WebhookEvent] = []
        var remote: [String: [WebhookEvent]] = [:]
        var broadcast: [WebhookEvent] = []
        for event in admitted {
            guard let wacid = event.callID else {
                local.append(event)
                if Self.concernsEveryNode(event) { broadcast.append(event) }
                continue
            }
            let owner = await owner(of: wacid, event: event)
            logger.debug("webhook event routed", metadata: [
                "wacid": "\(wacid)", "webhook.event": "\(event.kind)", "node": "\(owner ?? "unknown (store unreachable)")",
            ])
            switch owner {
            case .some(let owner) where owner != me: remote[owner, default: []].append(event)
            case .some: local.append(event)
            case .none where Self.startsCall(event): local.append(event)
            case .none:
                local.append(event)
                broadcast.append(event)
            }
        }
        let now = Date()
        for (node, events) in remote {
            if await forward(events, of: delivery, to: node, now: now) == false { local += events }
        }
        if !broadcast.isEmpty {
            for peer in await membership.peers(now: now) {
                _ = await forward(broadcast, of: delivery, to: peer.nodeID, now: now)
            }
        }
        return local
    }

    /// The node owning `wacid`: as recorded; for a new call, the node picked now; nil
    /// when the store cannot be read, or no owner appeared within ``ownerWait``.
    private func owner(of wacid: String, event: WebhookEvent) async -> String? {
        let deadline = Date().addingTimeInterval(Self.ownerWait)
        while true {
            let recorded: String?
            do {
                recorded = try await store.callOwner(wacid: wacid)
            } catch {
                return nil
            }
            if let recorded { return recorded }
            if Self.startsCall(event) {
                let chosen = await membership.ownerForNewCall(now: Date())
                return try? await store.claimCall(wacid: wacid, nodeID: chosen, now: Date())
            }
            // A terminate or status of a call nobody claimed: the call was placed by a
            // node whose claim is on its way, or it is not a call of this cluster.
            guard Date() < deadline else { return await membership.nodeID }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// An event about a user that every node keeps state for: a permission reply,
    /// or a message from the user (it opens a customer service window).
    static func concernsEveryNode(_ event: WebhookEvent) -> Bool {
        switch event {
        case .permissionReply, .userMessage: true
        default: false
        }
    }

    /// A `connect` of a call from a WhatsApp user: the one event that makes a new
    /// call (a business-initiated call's `connect` carries Meta's answer to the node
    /// that placed it, and waits for that node's claim like any other event).
    static func startsCall(_ event: WebhookEvent) -> Bool {
        if case .callConnect(let connect) = event { return connect.direction == .userInitiated }
        return false
    }

    /// POSTs the delivery to `node` for `events`; false when it could not be handed on.
    private func forward(_ events: [WebhookEvent], of delivery: WebhookDelivery, to node: String, now: Date) async
        -> Bool {
        var url = await membership.url(of: node, now: now)
        if url == nil {
            // A node that joined since the last heartbeat: read the nodes again.
            try? await membership.refresh()
            url = await membership.url(of: node, now: now)
        }
        guard let base = url else {
            logger.warning("webhook owner not alive; its events are handled here",
                           metadata: ["node": "\(node)", "events": "\(events.count)"])
            return false
        }
        let me = await membership.nodeID
        let header = WebhookForward(from: me, keys: events.map(\.deduplicationKey))
            .header(secret: secret, signature: delivery.signature)
        var request = HTTPClientRequest(url: base.trimmingSuffix("/") + webhookPath)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: WebhookSignature.headerName, value: delivery.signature)
        request.headers.add(name: WebhookForward.headerName, value: header)
        request.body = .bytes(ByteBuffer(bytes: delivery.body))
        do {
            let response = try await http.execute(request, timeout: .seconds(2))
            _ = try? await response.body.collect(upTo: 4096)
            guard response.status == .ok else {
                logger.warning("webhook forward refused", metadata: ["node": "\(node)", "status": "\(response.status.code)"])
                return false
            }
            for event in events {
                logger.debug("webhook event handed to its owner",
                             metadata: ["wacid": "\(event.callID ?? "-")", "webhook.event": "\(event.kind)", "node": "\(node)"])
            }
            return true
        } catch {
            logger.warning("webhook forward failed", metadata: ["node": "\(node)", "error": "\(error)"])
            return false
        }
    }
}

extension String {
    /// The string without one trailing `suffix`.
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
