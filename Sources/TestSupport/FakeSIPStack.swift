// swift-format-ignore-file: AllPublicDeclarationsHaveDocumentation
// (the public members are witnesses of the port protocols, documented there)
// Test support: the SIP command channel without sofia. Records every command
// the composition layer queues, in order, so tests assert on what would go on
// the wire. Not shipped.

public import SIP

/// A recording `SIPCommandChannel` with a real binding table.
public final class FakeSIPStack: SIPCommandChannel {
    public let registrar: Registrar
    private let sent = Locked<[SIPCommand]>([])
    private let nextHandle = Locked<UInt64>(1000)

    /// A stack whose registrar accepts expiries from 60 s to 3600 s.
    public init() {
        registrar = Registrar(limits: .init(minimum: 60, maximum: 3600, defaultExpires: 3600))
    }

    public func makeHandle() -> SIPHandle {
        SIPHandle(rawValue: nextHandle.withValue { $0 += 1; return $0 })
    }

    public func send(_ command: SIPCommand) { sent.withValue { $0.append(command) } }

    /// Every command sent so far, oldest first.
    public var commands: [SIPCommand] { sent.current }

    /// Forgets the commands sent so far.
    public func clear() { sent.withValue { $0.removeAll() } }

    /// The responses sent on `handle`: status, phrase, SDP and extra headers.
    public func responses(on handle: SIPHandle)
        -> [(status: Int, phrase: String, sdp: String?, headers: [String])] {
        commands.compactMap { command in
            guard case let .respond(target, status, phrase, sdp, headers) = command, target == handle else { return nil }
            return (status, phrase, sdp, headers)
        }
    }

    /// Every INVITE sent, single or forked, with its handle.
    public var invites: [(handle: SIPHandle, call: SIPOutgoingCall)] {
        commands.flatMap { command -> [(handle: SIPHandle, call: SIPOutgoingCall)] in
            switch command {
            case let .invite(handle, call): [(handle, call)]
            case .inviteForks(let forks): forks.map { (handle: $0.0, call: $0.1) }
            default: []
            }
        }
    }

    /// The handles that got a BYE, in order.
    public var byes: [SIPHandle] {
        commands.compactMap { if case .bye(let handle) = $0 { handle } else { nil } }
    }

    /// The handles that got a CANCEL, in order.
    public var cancels: [SIPHandle] {
        commands.compactMap { if case .cancel(let handle) = $0 { handle } else { nil } }
    }
}
