import Foundation
import NIOHTTP1

/// A vendor mock: answers one parsed request. The server around it is ``MockServer``.
protocol MockEndpoint: Sendable {
    /// The credentials the mock accepts, as the environment variables the vendor's suite reads.
    var credentials: MockCredentials { get }
    func respond(to request: MockRequest) -> MockResponse
    /// Time the endpoint itself takes for this request, beyond the run's configured delay.
    func processingTime(for request: MockRequest) -> Duration
    /// Whether a request can use up a credential the mock accepts (a refresh token it rotates). When none
    /// can, `conform run` repeats every case against the embedded mock; otherwise the suite's `repeat_safe`
    /// declarations apply as against a live endpoint.
    var usesUpCredentials: Bool { get }
}

extension MockEndpoint {
    func processingTime(for request: MockRequest) -> Duration { .zero }
}

/// A request as the mock sees it.
struct MockRequest: Sendable {
    var method: String
    var path: String
    var query: [String: String]
    var headers: HTTPHeaders
    var body: Data

    /// `true` when the client prefers JSON (`Accept: application/json`).
    var acceptsJSON: Bool {
        headers["Accept"].contains { $0.lowercased().contains("application/json") }
    }
}

/// What the mock sends back, faults included.
enum MockResponse: Sendable {
    case full(status: HTTPResponseStatus, contentType: String?, body: Data, extraHeaders: [(String, String)] = [])
    /// The head announces `declaredLength` bytes; fewer are sent, then the connection closes.
    case truncated(status: HTTPResponseStatus, contentType: String, body: Data, declaredLength: Int)
    /// The connection closes without a byte of response.
    case closeWithoutResponse
}

/// The credentials a mock accepts, in the order a shell script exports them.
struct MockCredentials: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        /// The environment variable the vendor's suite reads: `PITCHPOINT_REFRESH_TOKEN`.
        var name: String
        var value: String
        var secret: Bool
    }

    var entries: [Entry]

    func value(_ name: String) -> String {
        entries.first { $0.name == name }?.value ?? ""
    }

    var environment: [String: String] {
        Dictionary(entries.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
    }

    /// `PITCHPOINT_REFRESH_TOKEN=…` lines for a shell to export.
    var shellAssignments: [String] {
        entries.map { "\($0.name)=\($0.value)" }
    }
}

/// How a mock behaves in one run.
struct MockConfiguration: Sendable {
    /// The name of a deliberate deviation from the documented behaviour: a shared fault or the mock's own.
    var deviation: String?
    /// A fixed delay before every response (timing fidelity tests and benchmarks).
    var delay: Duration = .zero
    /// How late the `slow` deviation answers.
    var slowDelay: Duration = .milliseconds(2500)
    /// The local file the `external-entity` deviation's entity points at.
    var externalEntityTarget: String = "/etc/passwd"
    /// The clock behind the dates a mock prints (Concur's `Expiration_date`, the claims of Pitchpoint's JWT):
    /// fixed in tests. Nothing else a mock sends depends on it: no size, cut or position.
    var now: @Sendable () -> Date = { Date() }

    init(deviation: String? = nil, delay: Duration = .zero) {
        self.deviation = deviation
        self.delay = delay
    }

    /// The delay before answering this run's requests.
    var responseDelay: Duration {
        deviation == SharedFault.slow.rawValue ? delay + slowDelay : delay
    }
}
