import ConformSupport
import Foundation

/// What a transport does when a connection closed before any byte of the answer came (RFC 9110 §9.2.2): a
/// reused keep-alive connection may have been closed by the server while the request was on its way, so an
/// idempotent request is sent once more on a new connection (the exchange says so); any other request is
/// not, as the server may have acted on it. Shared by every transport, so that the rule is one piece of code
/// that a test double exercises too.
enum ResendPolicy {
    enum Decision: Equatable, Sendable {
        /// Keep the outcome as it is.
        case keep
        /// Send the request again on a new connection.
        case resend
        /// Give up with this failure.
        case refuse(TransportFailure)
    }

    /// RFC 9110 §9.2.2: methods whose repetition the server must not tell apart from one request.
    static let idempotentMethods: Set<String> = ["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"]

    /// - Parameters:
    ///   - reused: the connection served an earlier request (a new one that closes is the server's answer).
    ///   - closedBeforeAnyByte: it closed, or was reset, before any byte of the response.
    ///   - alreadyResent: the request was sent a second time already: never a third.
    static func decide(reused: Bool, closedBeforeAnyByte: Bool, alreadyResent: Bool, method: String) -> Decision {
        guard reused, closedBeforeAnyByte, !alreadyResent else { return .keep }
        guard idempotentMethods.contains(method) else { return .refuse(.reusedConnectionClosed(method: method)) }
        return .resend
    }
}
