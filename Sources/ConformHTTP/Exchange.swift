import ConformSupport
import Foundation

/// One request and what came back: a response, or the transport failure that stopped it.
package struct Exchange: Sendable {
    package var request: PreparedRequest
    package var response: HTTPResponseSnapshot?
    package var failure: TransportFailure?
    package var timing: ExchangeTiming
    /// What the TLS handshake of the connection negotiated and the certificate the server presented.
    package var tls: TLSFacts?
    /// The peer's `IP:port` (`[::1]:8443` for IPv6): the server's, or the proxy's when one was used.
    package var remoteAddress: String?
    /// Set when the request was sent a second time, and why (RFC 9110 §9.2.2). Never silent.
    package var resent: String?
    /// The proxy's `host:port` when the request went through one (its credentials never appear).
    var viaProxy: String?

    init(
        request: PreparedRequest, response: HTTPResponseSnapshot?, failure: TransportFailure?,
        timing: ExchangeTiming, tls: TLSFacts? = nil, remoteAddress: String? = nil, resent: String? = nil,
        viaProxy: String? = nil
    ) {
        self.request = request
        self.response = response
        self.failure = failure
        self.timing = timing
        self.tls = tls
        self.remoteAddress = remoteAddress
        self.resent = resent
        self.viaProxy = viaProxy
    }

    /// The note of a resent request.
    static let resentNote =
        "resent on a new connection: the server closed the reused connection before answering (RFC 9110 §9.2.2)"
}

/// What the TLS handshake negotiated, and the server's certificate as presented.
package struct TLSFacts: Sendable, Equatable {
    /// `TLS 1.3`, `TLS 1.2`…
    package var version: String
    /// The IANA name of the cipher suite, such as `TLS_AES_128_GCM_SHA256`.
    package var cipherSuite: String?
    /// The ALPN protocol the server chose (`http/1.1`), if it chose one.
    package var alpn: String?
    /// The leaf certificate's subject and issuer as RFC 4514 strings, its subject alternative names
    /// (`DNS:localhost`, `IP:127.0.0.1`) and validity.
    package var subject: String?
    package var issuer: String?
    package var subjectAlternativeNames: [String]
    var notBefore: Date?
    package var notAfter: Date?

    init(
        version: String, cipherSuite: String?, alpn: String?, subject: String?, issuer: String?,
        subjectAlternativeNames: [String], notBefore: Date?, notAfter: Date?
    ) {
        self.version = version
        self.cipherSuite = cipherSuite
        self.alpn = alpn
        self.subject = subject
        self.issuer = issuer
        self.subjectAlternativeNames = subjectAlternativeNames
        self.notBefore = notBefore
        self.notAfter = notAfter
    }
}

/// A response as received, its body capped before anything decodes it.
package struct HTTPResponseSnapshot: Sendable {
    package var status: Int
    package var reason: String
    package var headers: [(name: String, value: String)]
    package var body: Data
    /// The protocol version of the status line, as written there: `HTTP/1.1`, or `HTTP/1.0` for an old
    /// server. The HAR archive's `httpVersion`.
    package var httpVersion: String

    init(
        status: Int, reason: String, headers: [(name: String, value: String)], body: Data,
        httpVersion: String = "HTTP/1.1"
    ) {
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
        self.httpVersion = httpVersion
    }

    /// The first value of a header, names compared case-insensitively.
    package func header(_ name: String) -> String? {
        headers.first { ASCII.equalsIgnoringCase($0.name, name) }?.value
    }

    /// Every value of a header, joined with ", " as RFC 9110 allows for list headers.
    package func headerList(_ name: String) -> String? {
        let values = headers.filter { ASCII.equalsIgnoringCase($0.name, name) }.map(\.value)
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }

    /// The media type without parameters, lower-cased: `application/json`.
    package var mediaType: String? {
        guard let contentType = header("Content-Type") else { return nil }
        let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var type = contentType.utf8.prefix { $0 != UInt8(ascii: ";") }.drop(while: isSpace)
        while let last = type.last, isSpace(last) { type = type.dropLast() }
        return String(decoding: type.map(ASCII.lowercased), as: UTF8.self)
    }

    /// The `charset` parameter of `Content-Type`, lower-cased, if any.
    package var charset: String? {
        guard let contentType = header("Content-Type") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" else {
                continue
            }
            return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: " \"")).lowercased()
        }
        return nil
    }

    /// The body as text when it is UTF-8.
    var text: String? { String(data: body, encoding: .utf8) }
}
