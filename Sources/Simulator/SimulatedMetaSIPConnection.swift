import Logging
import NIOCore
import NIOSSL
import NIOTLS
import Synchronization

/// One TLS connection of the SIP-mode Meta (accepted from, or opened to, the
/// business's SIP server). Writes go straight to the channel, which is safe from
/// any thread.
final class SimulatedMetaSIPConnection: Sendable {
    /// A number for logs and tables.
    let id: Int
    /// The channel.
    let channel: any Channel
    /// The names on the certificate the peer presented (filled after the handshake).
    let peerNames = Mutex<[String]>([])

    /// Creates the connection.
    init(id: Int, channel: any Channel) {
        self.id = id
        self.channel = channel
    }

    /// The peer's address.
    var peer: String { channel.remoteAddress.map { "\($0)" } ?? "?" }

    /// Writes one message.
    func send(_ message: SimSIPMessage) {
        channel.writeAndFlush(channel.allocator.buffer(bytes: message.serialized), promise: nil)
    }

    /// Closes the connection.
    func close() { channel.close(promise: nil) }
}

/// What a connection hands to the SIP-mode Meta, in arrival order.
enum SimulatedMetaSIPInbound: Sendable {
    /// A complete message.
    case message(SimSIPMessage, SimulatedMetaSIPConnection)
    /// The connection closed.
    case closed(SimulatedMetaSIPConnection)
}

/// Frames SIP messages off the TLS stream (``SimSIPMessageReader``) and hands
/// them on; a stream that breaks the bounds is closed.
final class SimulatedMetaSIPFramer: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private var reader = SimSIPMessageReader()
    private let connection: SimulatedMetaSIPConnection
    private let sink: AsyncStream<SimulatedMetaSIPInbound>.Continuation
    private let logger: Logger
    private let budget: SimulatedMetaSIPLogBudget

    /// Creates the framer for `connection`; its complaints are logged within `budget`.
    init(connection: SimulatedMetaSIPConnection, sink: AsyncStream<SimulatedMetaSIPInbound>.Continuation,
         logger: Logger, budget: SimulatedMetaSIPLogBudget) {
        self.connection = connection
        self.sink = sink
        self.logger = logger
        self.budget = budget
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        reader.append(bytes.readableBytesView)
        do {
            while let message = try reader.next() { sink.yield(.message(message, connection)) }
        } catch {
            if let suppressed = budget.admit("framing") {
                logger.warning("simulated Meta SIP: closing a connection that broke SIP framing", metadata: [
                    "peer": "\(connection.peer)", "error": "\(error)", "suppressed": "\(suppressed)",
                ])
            }
            context.close(promise: nil)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event,
           let handler = try? context.pipeline.syncOperations.handler(type: NIOSSLHandler.self),
           let certificate = handler.peerCertificate {
            connection.peerNames.withLock { $0 = SimulatedMetaSIPIdentity.names(of: certificate) }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        sink.yield(.closed(connection))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("simulated Meta SIP connection error", metadata: ["peer": "\(connection.peer)", "error": "\(error)"])
        context.close(promise: nil)
    }
}
