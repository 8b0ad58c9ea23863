import ConformSupport
import Foundation
import NIOCore

/// A request with every reference resolved, ready to send.
///
/// The bytes that go on the wire are encoded once, here: a case may be sent thousands of times, and each
/// sample then only writes a buffer it shares with the others. conform adds `Host`, `Content-Length`
/// (unless the method is GET, HEAD, DELETE or OPTIONS without a body) and `User-Agent: conform/<version>`
/// unless the suite gives its own.
package struct PreparedRequest: Sendable {
    package let method: String
    package let url: URL
    package let headers: [(name: String, value: String)]
    package let body: Data?
    /// Where the request goes and how it is framed, or why it cannot be sent.
    let wire: Result<RequestWire, TransportFailure>

    package init(method: String, url: URL, headers: [(name: String, value: String)], body: Data?) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.wire = RequestWire.encode(method: method, url: url, headers: headers, body: body)
    }

    /// The headers as they go on the wire, for the HAR archive: the same list the encoder writes, with
    /// conform's `Host`, `User-Agent` and `Content-Length` unless the case set them. A request that cannot
    /// be encoded is never sent; its headers are the case's own.
    package var headersAsSent: [(name: String, value: String)] {
        guard case .success(let wire) = wire else { return headers }
        return RequestWire.headerLines(
            method: method, hostHeader: wire.hostHeader, headers: headers, bodyLength: body?.count)
    }

    /// `POST http://127.0.0.1:8080/…?client_secret=…`, as sent (masked when it is shown).
    package var summary: String {
        "\(method) \(url.absoluteString)"
    }
}

/// The encoded request: its target and the bytes to write, in origin-form for a server and in
/// absolute-form for a proxy.
struct RequestWire: Sendable {
    enum Scheme: String, Sendable {
        case http, https

        var defaultPort: Int { self == .https ? 443 : 80 }
    }

    var scheme: Scheme
    /// The host as written in the URL, without brackets for IPv6.
    var host: String
    var port: Int
    var method: String
    /// RFC 9110 §9.2.2: may be sent again when a reused connection closed before answering.
    var isIdempotent: Bool
    /// A HEAD response has no body, whatever its head says.
    var expectsNoBody: Bool
    /// The request asked the server to close the connection after the response.
    var asksToClose: Bool
    /// Request line, headers, blank line and body, for a direct connection (and through a CONNECT tunnel).
    var originForm: ByteBuffer
    /// The headers and body after the request line, for a proxy's absolute-form; the line is added there.
    private var headerBlockAndBody: ByteBuffer
    /// `http://host:port/path?query`, the request target of the absolute-form.
    private(set) var absoluteTarget: String

    /// `host:port`, as in a refused connection's message and a CONNECT request.
    var authority: String { "\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    /// The `Host` header conform sends: the port only when it is not the scheme's default.
    var hostHeader: String { Self.hostHeader(host: host, port: port, scheme: scheme) }

    static func hostHeader(host: String, port: Int, scheme: Scheme) -> String {
        (host.contains(":") ? "[\(host)]" : host) + (port == scheme.defaultPort ? "" : ":\(port)")
    }

    /// The header lines in wire order: `Host`, the case's own, `User-Agent`, and `Content-Length` (unless
    /// the method goes without a body and has none), each of conform's unless the case set it. The one
    /// list for the bytes sent and for the HAR archive, so that the two cannot differ.
    static func headerLines(
        method: String, hostHeader: String, headers: [(name: String, value: String)], bodyLength: Int?
    ) -> [(name: String, value: String)] {
        let has = { (name: String) in headers.contains { ASCII.equalsIgnoringCase($0.name, name) } }
        var lines: [(name: String, value: String)] = []
        lines.reserveCapacity(headers.count + 3)
        if !has("Host") { lines.append(("Host", hostHeader)) }
        lines += headers
        if !has("User-Agent") { lines.append(("User-Agent", "conform/\(ConformDefaults.version)")) }
        if !has("Content-Length"), !has("Transfer-Encoding"), bodyLength != nil || !bodylessMethods.contains(method) {
            lines.append(("Content-Length", String(bodyLength ?? 0)))
        }
        return lines
    }

    /// Methods that get no `Content-Length: 0` when they have no body.
    static let bodylessMethods: Set<String> = ["GET", "HEAD", "DELETE", "OPTIONS", "TRACE", "CONNECT"]

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

    static let idempotentMethods: Set<String> = ["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"]

    static func encode(
        method: String, url: URL, headers: [(name: String, value: String)], body: Data?
    ) -> Result<RequestWire, TransportFailure> {
        guard !method.isEmpty, method.utf8.allSatisfy(isTokenByte) else {
            return .failure(.invalidRequest("the method \(MessageText.quoted(method)) is not an HTTP token"))
        }
        guard let components = URLComponents(url: url, resolvingAgainstBaseURL: false),
            let scheme = components.scheme.flatMap({ Scheme(rawValue: $0.lowercased()) })
        else {
            return .failure(.invalidRequest("\(url.absoluteString) is not an http or https URL"))
        }
        guard let host = components.host, !host.isEmpty else {
            return .failure(.invalidRequest("\(url.absoluteString) has no host"))
        }
        let bareHost = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let port = components.port ?? scheme.defaultPort
        var target = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        if let query = components.percentEncodedQuery { target += "?\(query)" }
        guard target.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return .failure(
                .invalidRequest("the request target \(MessageText.quoted(target)) holds spaces or control characters"))
        }
        for header in headers {
            guard !header.name.isEmpty, header.name.utf8.allSatisfy(isTokenByte) else {
                return .failure(
                    .invalidRequest("the header name \(MessageText.quoted(header.name)) is not an HTTP token"))
            }
            guard !header.value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
                return .failure(
                    .invalidRequest("the value of header \(header.name) holds a line break or NUL"))
            }
        }
        let hostHeader = Self.hostHeader(host: bareHost, port: port, scheme: scheme)
        var block = ByteBuffer()
        block.reserveCapacity(256 + (body?.count ?? 0))
        for line in headerLines(method: method, hostHeader: hostHeader, headers: headers, bodyLength: body?.count) {
            block.writeString("\(line.name): \(line.value)\r\n")
        }
        block.writeString("\r\n")
        if let body { block.writeBytes(body) }
        var origin = ByteBuffer()
        origin.reserveCapacity(block.readableBytes + target.utf8.count + method.utf8.count + 12)
        origin.writeString("\(method) \(target) HTTP/1.1\r\n")
        var copy = block
        origin.writeBuffer(&copy)
        let asksToClose = headers.contains {
            ASCII.equalsIgnoringCase($0.name, "Connection") && $0.value.lowercased().contains("close")
        }
        return .success(
            RequestWire(
                scheme: scheme, host: bareHost, port: port, method: method,
                isIdempotent: idempotentMethods.contains(method), expectsNoBody: method == "HEAD",
                asksToClose: asksToClose, originForm: origin, headerBlockAndBody: block,
                absoluteTarget: "\(scheme.rawValue)://\(hostHeader)\(target)"))
    }

    /// RFC 9110 §5.6.2 `tchar`.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default: "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}

