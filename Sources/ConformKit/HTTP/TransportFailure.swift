import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A request that could not complete. Reported as a JUnit `<error>`, never as a check failure.
public enum TransportFailure: Error, Sendable, Equatable, CustomStringConvertible {
    case connectionRefused(target: String)
    case connectionReset
    case timedOut(seconds: Double)
    case closedWithoutResponse
    case truncatedBody(received: Int, expected: Int?)
    case bodyTooLarge(limit: Int)
    case notUTF8(offset: Int)
    case tls(String)
    case nameResolution(String)
    case invalidRequest(String)
    /// The run stopped while the request was in flight (a signal, `--max-time`).
    case interrupted(String)
    case other(String)

    /// The JUnit `type` attribute.
    public var kind: String {
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
        case .other: "transport"
        }
    }

    public var description: String {
        switch self {
        case .connectionRefused(let target): "connection refused by \(target)"
        case .connectionReset: "the connection was reset by the server"
        case .timedOut(let seconds): "no complete response within the \(JSONValue.format(seconds)) s timeout"
        case .closedWithoutResponse: "the server closed the connection without sending a response"
        case .truncatedBody(let received, let expected?):
            "the connection closed after \(received) of \(expected) body bytes (truncated response)"
        case .truncatedBody(let received, nil):
            "the connection closed before the response body was complete (\(received) bytes received)"
        case .bodyTooLarge(let limit): "the response body exceeds the \(ByteCount.describe(limit)) limit (--max-body)"
        case .notUTF8(let offset): "the response body is not valid UTF-8 (first invalid byte at offset \(offset))"
        case .tls(let reason): "TLS failed: \(reason)"
        case .nameResolution(let host): "cannot resolve host \(host)"
        case .invalidRequest(let reason): "the request could not be sent: \(reason)"
        case .interrupted(let cause): "\(cause) while this case was running"
        case .other(let reason): reason
        }
    }

    /// Names what went wrong from the client's error and how far the exchange had come.
    static func classify(
        _ error: any Error, url: URL, timeout: Double, headReceived: Bool, bodyBytes: Int, contentLength: Int?
    ) -> TransportFailure {
        if let limit = error as? BodyLimitExceeded { return .bodyTooLarge(limit: limit.limit) }
        if let clientError = error as? HTTPClientError {
            switch clientError {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout, .getConnectionFromPoolTimeout:
                return .timedOut(seconds: timeout)
            case .remoteConnectionClosed:
                return headReceived
                    ? .truncatedBody(received: bodyBytes, expected: contentLength) : .closedWithoutResponse
            case .tlsHandshakeTimeout:
                return .tls("the handshake timed out")
            default:
                // Header validation errors carry the offending names; AsyncHTTPClient offers no case to match.
                if clientError.description.contains("Header") { return .invalidRequest(clientError.description) }
            }
        }
        if let parserError = error as? HTTPParserError, parserError == .invalidEOFState {
            return headReceived ? .truncatedBody(received: bodyBytes, expected: contentLength) : .closedWithoutResponse
        }
        if let connectionError = error as? NIOConnectionError {
            if connectionError.connectionErrors.isEmpty,
                connectionError.dnsAError != nil || connectionError.dnsAAAAError != nil
            {
                return .nameResolution(connectionError.host)
            }
            if connectionError.connectionErrors.contains(where: { Self.errno(of: $0.error) == ECONNREFUSED }) {
                return .connectionRefused(target: "\(connectionError.host):\(connectionError.port)")
            }
        }
        switch Self.errno(of: error) {
        case ECONNREFUSED: return .connectionRefused(target: Self.target(of: url))
        case ECONNRESET, EPIPE:
            return headReceived ? .truncatedBody(received: bodyBytes, expected: contentLength) : .connectionReset
        default: break
        }
        if case ChannelError.connectTimeout = error { return .timedOut(seconds: timeout) }
        let text = String(describing: error)
        if text.contains("NIOSSL") || text.contains("BoringSSL") { return .tls(text) }
        if headReceived { return .truncatedBody(received: bodyBytes, expected: contentLength) }
        return .other("the request failed: \(text)")
    }

    private static func errno(of error: any Error) -> Int32? {
        (error as? IOError)?.errnoCode
    }

    private static func target(of url: URL) -> String {
        "\(url.host ?? "?"):\(url.port ?? (url.scheme == "https" ? 443 : 80))"
    }
}

/// Raised by the response delegate when a body passes the cap; the client then stops reading.
struct BodyLimitExceeded: Error {
    var limit: Int
}

/// Byte counts in words: "1 MiB", "512 KiB", "300 bytes".
public enum ByteCount {
    public static func describe(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}
