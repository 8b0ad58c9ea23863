/// The status code is one of the allowed codes or classes.
public struct StatusCheck: Check {
    public var allowed: [StatusPattern]

    public init(allowed: [StatusPattern]) {
        self.allowed = allowed
    }

    public func evaluate(_ response: ResponseUnderTest) -> [Finding] {
        let status = response.response.status
        guard !allowed.contains(where: { $0.matches(status) }) else { return [] }
        return [.failure("status", Self.message(expected: allowed, status: status))]
    }

    static func message(expected: [StatusPattern], status: Int) -> String {
        "expected \(expected.map(\.description).joined(separator: " or ")), got \(status) (\(meaning(of: status)))"
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
}
