import ConformSupport
import Foundation
import NIOCore
import NIOPosix

/// A request that could not complete. Reported as a JUnit `<error>`, never as a check failure.
package enum TransportFailure: Error, Sendable, Equatable, CustomStringConvertible {
    case connectionRefused(target: String)
    case connectionReset
    case timedOut(seconds: Double)
    case closedWithoutResponse
    case truncatedBody(received: Int, expected: Int?)
    case bodyTooLarge(limit: Int)
    case notUTF8(offset: Int)
    case tls(TLSFailure)
    case nameResolution(String)
    case invalidRequest(String)
    /// The run stopped while the request was in flight (a signal, `--max-time`).
    case interrupted(String)
    /// What came over the wire is not an HTTP/1.1 response; the detail quotes it.
    case malformedResponse(String)
    /// A reused keep-alive connection closed before answering a request that is not idempotent, so it
    /// was not sent again (RFC 9110 §9.2.2).
    case reusedConnectionClosed(method: String)
    /// The calling task was cancelled; the connection was closed.
    case cancelled
    /// The proxy refused or broke the tunnel, or answered a plain-http request itself (407).
    case proxy(String)
    /// conform could not open a socket: its own limit on open files (EMFILE, with the limit), or the
    /// system's (ENFILE, `nil`). Never the endpoint's doing.
    case outOfFileDescriptors(limit: Int?)
    /// The URL's scheme does not match what the server speaks: an `https://` URL answered in plain HTTP
    /// (`serverSpeaksTLS` false), or an `http://` URL answered with a TLS record. `suggestion` is the URL
    /// of the request's origin with the other scheme, filled in by the transport.
    case wrongScheme(serverSpeaksTLS: Bool, suggestion: String)
    case other(String)

    /// The JUnit `type` attribute.
    package var kind: String {
        switch self {
        case .connectionRefused: "connection-refused"
        case .connectionReset: "connection-reset"
        case .timedOut: "timeout"
        case .closedWithoutResponse: "no-response"
        case .truncatedBody: "truncated-body"
        case .bodyTooLarge: "body-too-large"
        case .notUTF8: "unreadable-body"
        case .tls: "tls"
        case .nameResolution: "name-resolution"
        case .invalidRequest: "invalid-request"
        case .interrupted: "interrupted"
        case .malformedResponse: "malformed-response"
        case .reusedConnectionClosed: "reused-connection-closed"
        case .cancelled: "cancelled"
        case .proxy: "proxy"
        case .outOfFileDescriptors: "file-descriptors"
        case .wrongScheme: "wrong-scheme"
        case .other: "transport"
        }
    }

    package var description: String {
        switch self {
        case .connectionRefused(let target): "connection refused by \(target)"
        case .connectionReset: "the connection was reset by the server"
        case .timedOut(let seconds): "no complete response within the \(MessageText.number(seconds)) s timeout"
        case .closedWithoutResponse: "the server closed the connection without sending a response"
        case .truncatedBody(let received, let expected?):
            "the connection closed after \(received) of \(expected) body bytes (truncated response)"
        case .truncatedBody(let received, nil):
            "the connection closed before the response body was complete (\(received) bytes received)"
        case .bodyTooLarge(let limit): "the response body exceeds the \(ByteCount.describe(limit)) limit (--max-body)"
        case .notUTF8(let offset): "the response body is not valid UTF-8 (first invalid byte at offset \(offset))"
        case .tls(let failure): "TLS failed: \(failure)"
        case .nameResolution(let host): "cannot resolve host \(host)"
        case .invalidRequest(let reason): "the request could not be sent: \(reason)"
        case .interrupted(let cause): "\(cause) while this case was running"
        case .malformedResponse(let detail): "malformed response: \(detail)"
        case .reusedConnectionClosed(let method):
            "the server closed a reused keep-alive connection before answering; \(method) is not idempotent, so it was not resent (RFC 9110 §9.2.2)"
        case .cancelled: "the request was cancelled"
        case .proxy(let reason): reason
        case .outOfFileDescriptors(let limit?):
            "conform ran out of file descriptors (limit \(limit), ulimit -n) and could not open a connection: a limit of the machine running conform, not of the endpoint; lower --concurrency or raise the limit"
        case .outOfFileDescriptors(nil):
            "conform ran out of file descriptors (the system's table of open files is full, ENFILE) and could not open a connection: a limit of the machine running conform, not of the endpoint"
        case .wrongScheme(true, let suggestion):
            "the server answered with TLS; did you mean \(suggestion)?"
        case .wrongScheme(false, let suggestion):
            "the server answered in plain HTTP; did you mean \(suggestion)?"
        case .other(let reason): reason
        }
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
        guard case .wrongScheme(let speaksTLS, _) = self else { return self }
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
