import NIOCore

/// Reads the server's first flight as it passes by, before the TLS handler decrypts anything: the cipher
/// suite from the ServerHello (NIOSSL does not expose the negotiated cipher; the ServerHello is in the clear
/// in every version, RFC 8446 §4.1.3), and, in TLS 1.2, whether the server asked for a client certificate
/// (a CertificateRequest), which tells a refused mutual-TLS handshake from other handshake failures. The
/// bytes are forwarded untouched, and the observer stops looking at the first record that is not a
/// handshake record.
final class ServerHelloObserver: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// The cipher suite's code point, once seen.
    private(set) var cipherSuite: UInt16?
    private var seen = ByteBuffer()
    private var done = false
    let notes: HandshakeNotes

    init(notes: HandshakeNotes) {
        self.notes = notes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !done {
            var copy = unwrapInboundIn(data)
            seen.writeBuffer(&copy)
            if TransportFailure.startsWithHTTPStatusLine(seen) { notes.answeredInPlainHTTP() }
            let flight = Self.parse(seen)
            cipherSuite = cipherSuite ?? flight.cipherSuite
            if flight.certificateRequested { notes.certificateRequested() }
            if flight.finished || seen.readableBytes > 64 * 1024 {
                done = true
                seen = ByteBuffer()
            }
        }
        context.fireChannelRead(data)
    }

    struct Flight: Equatable {
        var cipherSuite: UInt16?
        var certificateRequested = false
        /// A record that is not a handshake record came (or the bytes are not TLS): nothing more to see.
        var finished = false
    }

    /// Walks the handshake records seen so far: record header (type 22, version, length), then handshake
    /// messages (type, 3-byte length). ServerHello (2): legacy version, random (32 bytes), session id
    /// (length-prefixed), cipher suite. CertificateRequest is type 13.
    static func parse(_ buffer: ByteBuffer) -> Flight {
        var flight = Flight()
        var messages = ByteBuffer()
        var offset = buffer.readerIndex
        while let type = buffer.getInteger(at: offset, as: UInt8.self),
            let length = buffer.getInteger(at: offset + 3, as: UInt16.self)
        {
            guard type == 22 else {
                flight.finished = true
                break
            }
            guard var fragment = buffer.getSlice(at: offset + 5, length: Int(length)) else { break }
            messages.writeBuffer(&fragment)
            offset += 5 + Int(length)
        }
        var index = messages.readerIndex
        while let messageType = messages.getInteger(at: index, as: UInt8.self),
            let high = messages.getInteger(at: index + 1, as: UInt8.self),
            let low = messages.getInteger(at: index + 2, as: UInt16.self)
        {
            let length = Int(high) << 16 | Int(low)
            if messageType == 2 {
                let sessionIDLength = index + 4 + 2 + 32
                if let idLength = messages.getInteger(at: sessionIDLength, as: UInt8.self),
                    let suite = messages.getInteger(at: sessionIDLength + 1 + Int(idLength), as: UInt16.self)
                {
                    flight.cipherSuite = suite
                }
            }
            if messageType == 13 { flight.certificateRequested = true }
            index += 4 + length
        }
        return flight
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
