import ConformSupport
import Foundation
import NIOConcurrencyHelpers
import NIOCore

/// A request in HTTP/1.1 bytes (RFC 9112 §3): request line, header lines in the order of
/// ``RequestTarget/headerLines(method:hostHeader:headers:bodyLength:)``, a blank line and the body; in
/// origin-form for a server (and through a CONNECT tunnel), in absolute-form for a plain-http proxy.
///
/// Made by the HTTP/1.1 connection on a request's first send and kept in the request's ``Cache``: every
/// sample of a case writes the same buffer.
struct HTTP1Request: Sendable {
    /// Request line, headers, blank line and body, for a direct connection.
    let originForm: ByteBuffer
    /// The headers and body after the request line, for a proxy's absolute-form; the line is added there.
    private let headerBlockAndBody: ByteBuffer
    private let method: String
    private let absoluteTarget: String

    init(_ request: PreparedRequest, to target: RequestTarget) {
        var block = ByteBuffer()
        block.reserveCapacity(256 + (request.body?.count ?? 0))
        for line in request.headersAsSent {
            block.writeString("\(line.name): \(line.value)\r\n")
        }
        block.writeString("\r\n")
        if let body = request.body { block.writeBytes(body) }
        var origin = ByteBuffer()
        origin.reserveCapacity(block.readableBytes + target.path.utf8.count + target.method.utf8.count + 12)
        origin.writeString("\(target.method) \(target.path) HTTP/1.1\r\n")
        var copy = block
        origin.writeBuffer(&copy)
        self.originForm = origin
        self.headerBlockAndBody = block
        self.method = target.method
        self.absoluteTarget = target.absoluteTarget
    }

    /// The bytes for an HTTP proxy: absolute-form target, and the proxy's credentials when it has some.
    func proxyForm(authorization: String?) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(headerBlockAndBody.readableBytes + absoluteTarget.utf8.count + 64)
        buffer.writeString("\(method) \(absoluteTarget) HTTP/1.1\r\n")
        if let authorization { buffer.writeString("Proxy-Authorization: \(authorization)\r\n") }
        var rest = headerBlockAndBody
        buffer.writeBuffer(&rest)
        return buffer
    }

    /// The bytes of one request, made once by whichever send comes first.
    final class Cache: Sendable {
        private let encoded = NIOLockedValueBox<HTTP1Request?>(nil)

        func request(_ make: () -> HTTP1Request) -> HTTP1Request {
            encoded.withLockedValue { encoded in
                if let encoded { return encoded }
                let made = make()
                encoded = made
                return made
            }
        }
    }
}
