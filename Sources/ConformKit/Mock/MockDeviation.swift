/// A deliberate break from a mock's documented behaviour, so that conform's tests prove each check fires.
struct MockDeviation: Sendable, Hashable {
    /// As given to `--mock-deviation` and `conform mock --deviation`: `expires-in-string`.
    let name: String
    /// What the mock does, for `conform mock --list-deviations` and the README.
    let summary: String

    init(_ name: String, _ summary: String) {
        self.name = name
        self.summary = summary
    }
}

/// Faults any mock can have. They are applied around the mock's own answers (``FaultyEndpoint``), so a
/// new mock has them without a line of its own.
enum SharedFault: String, CaseIterable, Sendable {
    case html500 = "html-500"
    case wrongContentType = "wrong-content-type"
    case truncatedBody = "truncated-body"
    case slow
    case closeWithoutResponse = "close-without-response"

    var summary: String {
        switch self {
        case .html500: "every request gets a 500 with an HTML error page"
        case .wrongContentType: "success bodies are sent as text/plain"
        case .truncatedBody: "success bodies announce more bytes than are sent, then the connection closes"
        case .slow: "every response waits 2.5 s (past the 2000 ms budget, within the 10 s timeout)"
        case .closeWithoutResponse: "token requests get the connection closed without a response"
        }
    }

    static var deviations: [MockDeviation] { allCases.map { MockDeviation($0.rawValue, $0.summary) } }
}

/// A mock's answers with a shared fault applied.
struct FaultyEndpoint: MockEndpoint {
    let inner: any MockEndpoint
    let fault: SharedFault

    var credentials: MockCredentials { inner.credentials }
    var usesUpCredentials: Bool { inner.usesUpCredentials }
    func processingTime(for request: MockRequest) -> Duration { inner.processingTime(for: request) }

    func respond(to request: MockRequest) -> MockResponse {
        if fault == .html500 { return MockPages.html500 }
        let response = inner.respond(to: request)
        guard case .full(let status, let contentType, let body, let headers) = response,
            (200..<300).contains(Int(status.code))
        else {
            // A request the endpoint does not serve (404, 405) is not a token request.
            if fault == .closeWithoutResponse, case .full(let status, _, _, _) = response,
                ![404, 405].contains(Int(status.code))
            {
                return .closeWithoutResponse
            }
            return response
        }
        switch fault {
        case .closeWithoutResponse:
            return .closeWithoutResponse
        case .wrongContentType:
            return .full(status: status, contentType: "text/plain; charset=utf-8", body: body, extraHeaders: headers)
        case .truncatedBody:
            return .truncated(
                status: status, contentType: contentType ?? "application/octet-stream", body: body.prefix(body.count / 2),
                declaredLength: body.count)
        case .html500, .slow:
            return response
        }
    }
}

/// A mock conform can serve: found by name, owning its deviations.
struct MockDefinition: Sendable {
    let name: String
    /// This mock's own deviations; the shared faults apply to every mock besides.
    let deviations: [MockDeviation]
    private let make: @Sendable (MockConfiguration) -> any MockEndpoint

    init(
        name: String, deviations: [MockDeviation], make: @escaping @Sendable (MockConfiguration) -> any MockEndpoint
    ) {
        self.name = name
        self.deviations = deviations
        self.make = make
    }

    /// The shared faults, then the mock's own deviations.
    var allDeviations: [MockDeviation] { SharedFault.deviations + deviations }

    /// The mock's endpoint for one run, with the configured shared fault around it.
    func endpoint(_ configuration: MockConfiguration) -> any MockEndpoint {
        let endpoint = make(configuration)
        guard let fault = configuration.deviation.flatMap(SharedFault.init(rawValue:)) else { return endpoint }
        return FaultyEndpoint(inner: endpoint, fault: fault)
    }
}

/// Every mock conform ships, by name: the one place that lists them.
package enum MockRegistry {
    static let all: [MockDefinition] = [
        PitchpointMock.definition, ConcurMock.definition, OAuth2Mock.definition, OIDCMock.definition,
    ]

    static func named(_ name: String) -> MockDefinition? {
        all.first { $0.name == name }
    }

    package static var names: [String] { all.map(\.name) }

    /// The mocks that have a deviation of this name.
    static func mocks(with deviation: String) -> [String] {
        all.filter { $0.allDeviations.contains { $0.name == deviation } }.map(\.name)
    }

    /// `conform mock --list-deviations`: name, mocks, what the mock does.
    static func deviationList() -> String {
        var lines: [String] = []
        let shared = SharedFault.deviations.map { ($0, "every mock") }
        let own = all.flatMap { mock in mock.deviations.map { ($0, mock.name) } }
        for (deviation, mocks) in shared + own {
            lines.append(
                "\(deviation.name.padding(toLength: 24, withPad: " ", startingAt: 0)) \(mocks.padding(toLength: 19, withPad: " ", startingAt: 0)) \(deviation.summary)"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
