import NIOCore

/// Reads the cipher suite from the server's ServerHello as it passes by, before the TLS handler decrypts
/// anything: NIOSSL does not expose the negotiated cipher. The ServerHello is in the clear in every TLS
/// version (RFC 8446 §4.1.3); the bytes are forwarded untouched, and the observer stops looking after it.
final class ServerHelloObserver: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// The cipher suite's code point, once seen.
    private(set) var cipherSuite: UInt16?
    private var seen = ByteBuffer()
    private var done = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !done {
            var copy = unwrapInboundIn(data)
            seen.writeBuffer(&copy)
            switch Self.parse(seen) {
            case .found(let suite):
                cipherSuite = suite
                done = true
            case .notAServerHello:
                done = true
            case .needMore:
                if seen.readableBytes > 16 * 1024 { done = true }
            }
            if done { seen = ByteBuffer() }
        }
        context.fireChannelRead(data)
    }

    enum Parse: Equatable {
        case found(UInt16)
        case needMore
        case notAServerHello
    }

    /// Record header (type 22, version, length), handshake header (type 2, length), legacy version,
    /// random (32 bytes), session id (length-prefixed), then the cipher suite.
    static func parse(_ buffer: ByteBuffer) -> Parse {
        guard let recordType = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return .needMore }
        guard recordType == 22 else { return .notAServerHello }
        let handshake = buffer.readerIndex + 5
        guard let handshakeType = buffer.getInteger(at: handshake, as: UInt8.self) else { return .needMore }
        guard handshakeType == 2 else { return .notAServerHello }
        let sessionIDLength = handshake + 4 + 2 + 32
        guard let idLength = buffer.getInteger(at: sessionIDLength, as: UInt8.self) else { return .needMore }
        guard let suite = buffer.getInteger(at: sessionIDLength + 1 + Int(idLength), as: UInt16.self) else {
            return .needMore
        }
        return .found(suite)
    }

    /// IANA names of the suites BoringSSL negotiates.
    static func name(of suite: UInt16) -> String {
        switch suite {
        case 0x1301: "TLS_AES_128_GCM_SHA256"
        case 0x1302: "TLS_AES_256_GCM_SHA384"
        case 0x1303: "TLS_CHACHA20_POLY1305_SHA256"
        case 0xC02B: "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
        case 0xC02C: "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"
        case 0xC02F: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
        case 0xC030: "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"
        case 0xCCA8: "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"
        case 0xCCA9: "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"
        case 0xC009: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"
        case 0xC00A: "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"
        case 0xC013: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"
        case 0xC014: "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"
        case 0x009C: "TLS_RSA_WITH_AES_128_GCM_SHA256"
        case 0x009D: "TLS_RSA_WITH_AES_256_GCM_SHA384"
        case 0x002F: "TLS_RSA_WITH_AES_128_CBC_SHA"
        case 0x0035: "TLS_RSA_WITH_AES_256_CBC_SHA"
        default: "0x" + String(suite, radix: 16, uppercase: true)
        }
    }
}
