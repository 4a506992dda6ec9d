// The admin API's back end: reads call control's table, the registrar and the
// store, and asks call control to hang up, record or drain. Decides nothing about calls.

import CallControl
import Config
import Foundation
import HTTP
import Media
import SIP
import Store

/// The gateway's ``AdminBackend``.
struct AdminService: AdminBackend {
    let reloader: ConfigReloader
    let control: CallControl
    let media: BridgeMediaControl
    let registrar: Registrar
    let store: GatewayStore

    func calls() async -> [AdminCall] {
        let live = await control.liveCalls()
        let figures = await media.statistics(of: live.map(\.context.callID))
        return live.map { call in
            let stats = figures[call.context.callID]
            let state = [call.sipState, call.whatsAppState ?? call.sipState].contains("ended") ? "ending"
                : (call.sipState == "answered" && call.whatsAppState != "setup" ? "answered" : call.sipState)
            return AdminCall(
                callID: call.context.callID.rawValue, direction: call.direction.rawValue, phase: call.phase,
                state: state, wacid: call.context.wacid?.rawValue, sipCallID: call.context.sipCallID,
                number: call.number,
                sip: AdminLeg(state: call.sipState, quality: stats.flatMap { Self.quality($0.sip) }),
                whatsapp: call.whatsAppState.map {
                    AdminLeg(state: $0, quality: stats.flatMap { Self.quality($0.whatsapp) })
                },
                media: stats.map {
                    AdminMedia(businessLeg: $0.businessLeg, passThrough: $0.passThrough,
                               opusEncodedFrames: $0.opusEncodedFrames, opusDecodedFrames: $0.opusDecodedFrames)
                })
        }
    }

    func hangUp(callID: String) async throws(AdminFailure) {
        guard await control.hangUp(CallID(callID)) else {
            throw AdminFailure(status: 404, "no live call \(callID)")
        }
    }

    func record(callID: String, on: Bool) async throws(AdminFailure) -> String {
        switch await control.setRecording(CallID(callID), on: on) {
        case .started(let path), .alreadyRecording(let path), .stopped(let path): return path
        case .noSuchCall: throw AdminFailure(status: 404, "no live call \(callID)")
        case .refused(let reason): throw AdminFailure(status: 409, reason)
        }
    }

    func registrations() async -> [AdminRegistration] {
        registrar.allBindings(now: Date().timeIntervalSince1970).map {
            AdminRegistration(user: $0.user, contact: $0.contact, source: "\($0.sourceHost):\($0.sourcePort)",
                              transport: $0.transport, expiresAt: Date(timeIntervalSince1970: $0.expiresAt),
                              userAgent: $0.userAgent)
        }.sorted { ($0.user, $0.contact) < ($1.user, $1.contact) }
    }

    func records(_ query: AdminRecordQuery) async throws(AdminFailure) -> [any Encodable & Sendable] {
        let config = await reloader.running
        let number = query.number.map {
            (config.number(named: $0) ?? config.number(withBusinessNumber: $0))?.phoneNumberID ?? $0
        }
        let search = CallQuery(since: query.since, until: query.until, phoneNumberID: number, caller: query.caller,
                               callee: query.callee, failedOnly: query.failed, direction: query.direction,
                               limit: query.limit, offset: query.offset)
        do {
            return try await store.calls(matching: search)
        } catch {
            throw AdminFailure(status: 500, "reading the call records failed")
        }
    }

    func cluster() async throws(AdminFailure) -> any Encodable & Sendable {
        do {
            let nodes = try await store.clusterNodes().map {
                AdminClusterNode(nodeID: $0.nodeID, url: $0.url, state: $0.state, ready: $0.ready,
                                 activeCalls: $0.activeCalls, leaseUntil: $0.leaseUntil, takenOverBy: $0.takenOverBy)
            }
            return AdminCluster(nodes: nodes, calls: try await store.callsInProgress())
        } catch {
            throw AdminFailure(status: 500, "reading the cluster from the store failed")
        }
    }

    func record(callID: String) async throws(AdminFailure) -> any Encodable & Sendable {
        let found: CallDetailRecord?
        let transfers: [CallTransferRow]
        do {
            found = try await store.call(id: callID)
            transfers = found == nil ? [] : try await store.transfers(callID: callID)
        } catch {
            throw AdminFailure(status: 500, "reading the call records failed")
        }
        guard let found else { throw AdminFailure(status: 404, "no call record \(callID)") }
        return AdminRecordDetail(record: found, rows: transfers)
    }

    func setDraining(_ on: Bool) async -> AdminReadiness {
        await control.setDraining(on)
        return await readiness()
    }

    func reload() async -> (status: Int, report: any Encodable & Sendable) {
        let report = await reloader.reload()
        return (report.succeeded ? 200 : 422, report)
    }

    func readiness() async -> AdminReadiness {
        var reasons: [String] = []
        let draining = await control.isDraining
        if draining { reasons.append("draining") }
        if await control.isGraphUnavailable { reasons.append("meta_unreachable") }
        return AdminReadiness(reasons: reasons, activeCalls: await control.activeCallCount, draining: draining)
    }

    /// A leg's figures once media has flowed.
    static func quality(_ leg: MediaLegStatistics) -> AdminQuality? {
        guard leg.packetsReceived > 0 || leg.packetsLost > 0 else { return nil }
        return AdminQuality(packetsReceived: leg.packetsReceived, packetsLost: leg.packetsLost,
                            jitterMs: leg.jitterMs, rttMs: leg.roundTripMs, mos: leg.mos)
    }
}

/// `GET /api/v1/cluster`: every node's lease row and every call in progress on any node.
struct AdminCluster: Encodable, Sendable {
    var nodes: [AdminClusterNode]
    var calls: [CallDetailRecord]
}

/// One node as `GET /api/v1/cluster` shows it.
struct AdminClusterNode: Encodable, Sendable {
    var nodeID: String
    var url: String
    var state: String
    var ready: Bool
    var activeCalls: Int
    var leaseUntil: Date
    var takenOverBy: String?
}
