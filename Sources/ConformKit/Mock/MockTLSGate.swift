import NIOCore

/// In front of the HTTPS mock's TLS handler: a connection whose first byte is not a TLS handshake record
/// (22) is not TLS, most often a plain-HTTP request sent to the HTTPS port. The mock then answers as many TLS
/// servers do (rustls, Java's), with a fatal `unexpected_message` alert record (RFC 8446 §6), and closes.
/// BoringSSL, under the mock, would close without a byte, and a client could not tell a TLS port from a
/// server that hung up. Once the first byte is a handshake record the gate steps aside.
final class MockTLSGate: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// A fatal (2) unexpected_message (10) alert in a TLS 1.2-versioned record: type 21, version 3.3,
    /// length 2.
    static let unexpectedMessageAlert: [UInt8] = [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x0A]

    private var refused = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        let buffer = unwrapInboundIn(data)
        guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return }
        if first == 22 {
            context.fireChannelRead(data)
            context.pipeline.syncOperations.removeHandler(self, promise: nil)
            return
        }
        refused = true
        let alert = context.channel.allocator.buffer(bytes: Self.unexpectedMessageAlert)
        context.writeAndFlush(wrapOutboundOut(alert)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}
