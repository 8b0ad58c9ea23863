/// The status code is one of the allowed codes or classes.
///
/// A 429, or a 503 with `Retry-After`, is the endpoint asking the client to slow down, not a deviation: the
/// message says so with the header's value (`expected 200, got 429 Too Many Requests: the endpoint is
/// rate-limiting, Retry-After: 30`). conform does not wait or retry; `--rate` spaces the requests.
struct StatusCheck: Check {
    var allowed: [StatusPattern]

    init(allowed: [StatusPattern]) {
        self.allowed = allowed
    }

    func evaluate(_ response: ResponseUnderTest) -> [Finding] {
        let status = response.response.status
        guard !allowed.contains(where: { $0.matches(status) }) else { return [] }
        let retryAfter = response.response.header("Retry-After").map { BodyExcerpt.line($0, limit: 100) }
        return [
            .failure(
                .status, Self.message(expected: allowed, status: status, retryAfter: retryAfter),
                expected: allowed.map(\.description).joined(separator: " or "), actual: String(status))
        ]
    }

    static func message(expected: [StatusPattern], status: Int, retryAfter: String? = nil) -> String {
        let expected = "expected \(expected.map(\.description).joined(separator: " or "))"
        let wait = retryAfter.map { ", Retry-After: \($0)" } ?? ""
        switch (status, retryAfter) {
        case (429, _): return "\(expected), got 429 \(Self.tooManyRequests)\(wait)"
        case (503, .some): return "\(expected), got 503 \(Self.unavailable)\(wait)"
        default: return "\(expected), got \(status) (\(meaning(of: status)))"
        }
    }

    /// "a success status", "a server error", …
    static func meaning(of status: Int) -> String {
        switch status / 100 {
        case 1: "an informational status"
        case 2: "a success status"
        case 3: "a redirect"
        case 4: "a client error"
        case 5: "a server error"
        default: "not a valid HTTP status"
        }
    }

    static let tooManyRequests = "Too Many Requests: the endpoint is rate-limiting"
    static let unavailable = "Service Unavailable: the endpoint is unavailable for now"
}
