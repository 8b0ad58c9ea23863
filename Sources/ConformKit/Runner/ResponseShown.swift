import ConformHTTP
import Foundation

/// A response as a report shows it for a failed or errored case: status, headers and the start of the body,
/// at most ``bodyLimit`` bytes of it. Not masked: the report is masked where it leaves conform
/// (``OutputBoundary``), with the secrets the response revealed registered when the case was kept.
struct ResponseShown: Sendable {
    /// The most body bytes a report shows of one response.
    static let bodyLimit = 64 << 10

    var status: Int
    var reason: String
    var headers: [(name: String, value: String)]
    /// The body as text (``BodyExcerpt/wholeText(of:limit:)``), ending in "…" when cut.
    var bodyText: String
    /// The size of the whole body, in bytes.
    var bodySize: Int
    /// The body is longer than ``bodyLimit`` and `bodyText` holds its start.
    var bodyCut: Bool

    init(_ response: HTTPResponseSnapshot) {
        status = response.status
        reason = response.reason
        headers = response.headers
        (bodyText, bodyCut) = BodyExcerpt.wholeText(of: response.body, limit: Self.bodyLimit)
        bodySize = response.body.count
    }
}
