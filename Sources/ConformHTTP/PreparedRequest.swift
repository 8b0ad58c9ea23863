import ConformSupport
import Foundation

/// A request with every reference resolved, ready to send: method, URL, headers and body as data, and its
/// target checked once (whatever protocol will carry it).
///
/// conform adds `Host`, `Content-Length` (unless the method is GET, HEAD, DELETE or OPTIONS without a body)
/// and `User-Agent: conform/<version>` unless the suite gives its own. The bytes that go on the wire are the
/// connection's business: the HTTP/1.1 connection encodes them on the first send (``HTTP1Request``) and keeps
/// them here, so that a case sent thousands of times is encoded once and each sample writes a shared buffer.
package struct PreparedRequest: Sendable {
    package let method: String
    package let url: URL
    let headers: [(name: String, value: String)]
    package let body: Data?
    /// Where the request goes and what conform adds to it, or why it cannot be sent.
    let target: Result<RequestTarget, TransportFailure>
    /// The HTTP/1.1 bytes, made by the first HTTP/1.1 send and shared by the later ones.
    let http1 = HTTP1Request.Cache()

    package init(method: String, url: URL, headers: [(name: String, value: String)], body: Data?) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.target = RequestTarget.check(method: method, url: url, headers: headers)
    }

    /// The headers as they go on the wire, for the HAR archive: the same list the encoder writes, with
    /// conform's `Host`, `User-Agent` and `Content-Length` unless the case set them. A request that cannot
    /// be sent never is; its headers are the case's own.
    package var headersAsSent: [(name: String, value: String)] {
        guard case .success(let target) = target else { return headers }
        return RequestTarget.headerLines(
            method: method, hostHeader: target.hostHeader, headers: headers, bodyLength: body?.count)
    }

    /// `POST http://127.0.0.1:8080/…?client_secret=…`, as sent (masked when it is shown).
    package var summary: String {
        "\(method) \(url.absoluteString)"
    }
}

/// Where a request goes, checked once: the scheme, host and port to connect to, the origin-form target
/// (`/path?query`) and the absolute-form one a proxy needs, and what framing and reuse need to know. The
/// method, header names and values are checked here too (RFC 9110 tokens, no line breaks), so that no
/// protocol's encoder can be handed a request that would split into two.
struct RequestTarget: Sendable {
    enum Scheme: String, Sendable {
        case http, https

        var defaultPort: Int { self == .https ? 443 : 80 }
    }

    var scheme: Scheme
    /// The host as written in the URL, without brackets for IPv6.
    var host: String
    var port: Int
    var method: String
    /// A HEAD response has no body, whatever its head says.
    var expectsNoBody: Bool
    /// The request asked the server to close the connection after the response.
    var asksToClose: Bool
    /// `/path?query`, the request target of the origin-form.
    var path: String
    /// `http://host:port/path?query`, the request target of the absolute-form.
    var absoluteTarget: String

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

    static func check(
        method: String, url: URL, headers: [(name: String, value: String)]
    ) -> Result<RequestTarget, TransportFailure> {
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
        let asksToClose = headers.contains {
            ASCII.equalsIgnoringCase($0.name, "Connection") && $0.value.lowercased().contains("close")
        }
        return .success(
            RequestTarget(
                scheme: scheme, host: bareHost, port: port, method: method, expectsNoBody: method == "HEAD",
                asksToClose: asksToClose, path: target,
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
