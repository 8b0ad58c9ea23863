import ConformSupport
import Foundation
import NIOCore
import NIOPosix

/// A request that could not complete. Reported as a JUnit `<error>`, never as a check failure.
///
/// A struct with a ``code`` and a message, not an enum (AsyncHTTPClient's `HTTPClientError`): a new kind of
/// failure is a new static, not a break of every `switch` that a user of the library wrote. Each failure is
/// made by the static function or constant named after its code; compare codes to tell failures apart.
package struct TransportFailure: Error, Sendable, Equatable, Hashable, CustomStringConvertible {
    /// What kind of failure: a stable identity, written as the JUnit `type` of the error.
    struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        let rawValue: String
        init(rawValue: String) { self.rawValue = rawValue }
        var description: String { rawValue }

        static let connectionRefused = Code(rawValue: "connection-refused")
        static let connectionReset = Code(rawValue: "connection-reset")
        static let timedOut = Code(rawValue: "timeout")
        static let closedWithoutResponse = Code(rawValue: "no-response")
        static let truncatedBody = Code(rawValue: "truncated-body")
        static let bodyTooLarge = Code(rawValue: "body-too-large")
        static let notUTF8 = Code(rawValue: "unreadable-body")
        static let tls = Code(rawValue: "tls")
        static let nameResolution = Code(rawValue: "name-resolution")
        static let invalidRequest = Code(rawValue: "invalid-request")
        static let interrupted = Code(rawValue: "interrupted")
        static let malformedResponse = Code(rawValue: "malformed-response")
        static let reusedConnectionClosed = Code(rawValue: "reused-connection-closed")
        static let cancelled = Code(rawValue: "cancelled")
        static let proxy = Code(rawValue: "proxy")
        static let outOfFileDescriptors = Code(rawValue: "file-descriptors")
        static let wrongScheme = Code(rawValue: "wrong-scheme")
        static let other = Code(rawValue: "transport")

        /// Every code, in the order of the table in docs/junit.md.
        static let all: [Code] = [
            .connectionRefused, .connectionReset, .timedOut, .closedWithoutResponse, .truncatedBody, .bodyTooLarge,
            .notUTF8, .tls, .nameResolution, .invalidRequest, .interrupted, .malformedResponse,
            .reusedConnectionClosed, .cancelled, .proxy, .outOfFileDescriptors, .wrongScheme, .other,
        ]
    }

    let code: Code
    /// The sentence that says what happened, as reports show it.
    let message: String
    /// For ``Code/wrongScheme``: whether the server answered with TLS, so that ``suggesting(scheme:host:port:)``
    /// can name the URL with the other scheme.
    let serverSpeaksTLS: Bool?

    init(code: Code, message: String) {
        self.init(code: code, message: message, serverSpeaksTLS: nil)
    }

    private init(code: Code, message: String, serverSpeaksTLS: Bool?) {
        self.code = code
        self.message = message
        self.serverSpeaksTLS = serverSpeaksTLS
    }

    /// The JUnit `type` attribute: the code's text.
    package var kind: String { code.rawValue }

    package var description: String { message }

    static func connectionRefused(target: String) -> TransportFailure {
        TransportFailure(code: .connectionRefused, message: "connection refused by \(target)")
    }
    static let connectionReset = TransportFailure(
        code: .connectionReset, message: "the connection was reset by the server")
    static func timedOut(seconds: Double) -> TransportFailure {
        TransportFailure(
            code: .timedOut, message: "no complete response within the \(MessageText.number(seconds)) s timeout")
    }
    package static let closedWithoutResponse = TransportFailure(
        code: .closedWithoutResponse, message: "the server closed the connection without sending a response")
    static func truncatedBody(received: Int, expected: Int?) -> TransportFailure {
        guard let expected else {
            return TransportFailure(
                code: .truncatedBody,
                message:
                    "the connection closed before the response body was complete (\(received) bytes received)")
        }
        return TransportFailure(
            code: .truncatedBody,
            message: "the connection closed after \(received) of \(expected) body bytes (truncated response)")
    }
    static func bodyTooLarge(limit: Int) -> TransportFailure {
        TransportFailure(
            code: .bodyTooLarge,
            message: "the response body exceeds the \(ByteCount.describe(limit)) limit (--max-body)")
    }
    package static func notUTF8(offset: Int) -> TransportFailure {
        TransportFailure(
            code: .notUTF8,
            message: "the response body is not valid UTF-8 (first invalid byte at offset \(offset))")
    }
    static func tls(_ failure: TLSFailure) -> TransportFailure {
        TransportFailure(code: .tls, message: "TLS failed: \(failure)")
    }
    static func nameResolution(_ host: String) -> TransportFailure {
        TransportFailure(code: .nameResolution, message: "cannot resolve host \(host)")
    }
    package static func invalidRequest(_ reason: String) -> TransportFailure {
        TransportFailure(code: .invalidRequest, message: "the request could not be sent: \(reason)")
    }
    /// The run stopped while the request was in flight (a signal, `--max-time`).
    package static func interrupted(_ cause: String) -> TransportFailure {
        TransportFailure(code: .interrupted, message: "\(cause) while this case was running")
    }
    /// What came over the wire is not an HTTP/1.1 response; the detail quotes it.
    static func malformedResponse(_ detail: String) -> TransportFailure {
        TransportFailure(code: .malformedResponse, message: "malformed response: \(detail)")
    }
    /// A reused keep-alive connection closed before answering a request that is not idempotent, so it
    /// was not sent again (RFC 9110 §9.2.2).
    static func reusedConnectionClosed(method: String) -> TransportFailure {
        TransportFailure(
            code: .reusedConnectionClosed,
            message:
                "the server closed a reused keep-alive connection before answering; \(method) is not idempotent, so it was not resent (RFC 9110 §9.2.2)"
        )
    }
    /// The calling task was cancelled; the connection was closed.
    static let cancelled = TransportFailure(code: .cancelled, message: "the request was cancelled")
    /// The proxy refused or broke the tunnel, or answered a plain-http request itself (407).
    static func proxy(_ reason: String) -> TransportFailure {
        TransportFailure(code: .proxy, message: reason)
    }
    /// conform could not open a socket: its own limit on open files (EMFILE, with the limit), or the
    /// system's (ENFILE, `nil`). Never the endpoint's doing.
    static func outOfFileDescriptors(limit: Int?) -> TransportFailure {
        guard let limit else {
            return TransportFailure(
                code: .outOfFileDescriptors,
                message:
                    "conform ran out of file descriptors (the system's table of open files is full, ENFILE) and could not open a connection: a limit of the machine running conform, not of the endpoint"
            )
        }
        return TransportFailure(
            code: .outOfFileDescriptors,
            message:
                "conform ran out of file descriptors (limit \(limit), ulimit -n) and could not open a connection: a limit of the machine running conform, not of the endpoint; lower --concurrency or raise the limit"
        )
    }
    /// The URL's scheme does not match what the server speaks: an `https://` URL answered in plain HTTP
    /// (`serverSpeaksTLS` false), or an `http://` URL answered with a TLS record. `suggestion` is the URL
    /// of the request's origin with the other scheme, filled in by the transport.
    static func wrongScheme(serverSpeaksTLS: Bool, suggestion: String) -> TransportFailure {
        TransportFailure(
            code: .wrongScheme,
            message: serverSpeaksTLS
                ? "the server answered with TLS; did you mean \(suggestion)?"
                : "the server answered in plain HTTP; did you mean \(suggestion)?",
            serverSpeaksTLS: serverSpeaksTLS)
    }
    static func other(_ reason: String) -> TransportFailure {
        TransportFailure(code: .other, message: reason)
    }

    /// The first bytes of a TLS record (RFC 8446 §5.1): a content type (20 change_cipher_spec, 21 alert,
    /// 22 handshake, 23 application_data), then a legacy version whose first byte is 3. An HTTP/1.x status
    /// line never starts so.
    static func startsWithTLSRecord(_ bytes: ByteBuffer) -> Bool {
        guard let type = bytes.getInteger(at: bytes.readerIndex, as: UInt8.self),
            let major = bytes.getInteger(at: bytes.readerIndex + 1, as: UInt8.self)
        else { return false }
        return (20...23).contains(type) && major == 3
    }

    /// `HTTP/`: the start of a status line, which a server that speaks plain HTTP sends in answer to a TLS
    /// ClientHello it cannot parse (usually a 400).
    static func startsWithHTTPStatusLine(_ bytes: ByteBuffer) -> Bool {
        bytes.getBytes(at: bytes.readerIndex, length: 5).map { $0 == Array("HTTP/".utf8) } ?? false
    }

    /// This failure with the URL it suggests, for a request to `host:port` over `scheme`.
    func suggesting(scheme: String, host: String, port: Int) -> TransportFailure {
        guard code == .wrongScheme, let speaksTLS = serverSpeaksTLS else { return self }
        let other = scheme == "https" ? "http" : "https"
        let defaultPort = other == "https" ? 443 : 80
        let name = host.contains(":") ? "[\(host)]" : host
        let url = "\(other)://\(name)\(port == defaultPort ? "" : ":\(port)")"
        return .wrongScheme(serverSpeaksTLS: speaksTLS, suggestion: url)
    }

    /// Names a socket-level error; `nil` when it is not one conform knows.
    static func socketFailure(_ error: any Error, target: String, timeout: Double) -> TransportFailure? {
        if let connectionError = error as? NIOConnectionError {
            if connectionError.connectionErrors.contains(where: { errno(of: $0.error) == ECONNREFUSED }) {
                return .connectionRefused(target: target)
            }
            if let first = connectionError.connectionErrors.first {
                return socketFailure(first.error, target: target, timeout: timeout)
            }
        }
        if case ChannelError.connectTimeout = error { return .timedOut(seconds: timeout) }
        switch errno(of: error) {
        case ECONNREFUSED: return .connectionRefused(target: target)
        case ECONNRESET, EPIPE: return .connectionReset
        case ETIMEDOUT: return .timedOut(seconds: timeout)
        case ENETUNREACH, EHOSTUNREACH: return .other("no route to \(target)")
        case EMFILE: return .outOfFileDescriptors(limit: FileDescriptorLimit.current)
        case ENFILE: return .outOfFileDescriptors(limit: nil)
        default: return nil
        }
    }

    private static func errno(of error: any Error) -> Int32? {
        (error as? IOError)?.errnoCode
    }
}

/// Byte counts in words: "1 MiB", "512 KiB", "300 bytes".
package enum ByteCount {
    static func describe(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}
