import Foundation
import NIOConcurrencyHelpers
import NIOHTTP1
import Testing

@testable import ConformKit

/// Wraps a mock: counts requests and records every token it hands out, for "nothing sent" and secret tests.
final class RecordingEndpoint: MockEndpoint {
    let inner: any MockEndpoint
    private let state = NIOLockedValueBox<(count: Int, bodies: [String], arrivals: [ContinuousClock.Instant])>(
        (0, [], []))

    init(_ inner: any MockEndpoint) {
        self.inner = inner
    }

    var credentials: MockCredentials { inner.credentials }
    var usesUpCredentials: Bool { inner.usesUpCredentials }
    func processingTime(for request: MockRequest) -> Duration { inner.processingTime(for: request) }
    var requestCount: Int { state.withLockedValue { $0.count } }
    /// When each request was answered, in order.
    var arrivals: [ContinuousClock.Instant] { state.withLockedValue { $0.arrivals } }

    func respond(to request: MockRequest) -> MockResponse {
        let response = inner.respond(to: request)
        var text = ""
        switch response {
        case .full(_, _, let body, _), .truncated(_, _, let body, _): text = String(decoding: body, as: UTF8.self)
        case .closeWithoutResponse: break
        }
        state.withLockedValue {
            $0.count += 1
            $0.bodies.append(text)
            $0.arrivals.append(.now)
        }
        return response
    }

    /// Every secret the run saw or was given: credentials and the tokens in every response.
    var secrets: [String] {
        let patterns = [
            #""(?:access_token|refresh_token)":"([^"]+)""#, #"<(?:Token|Refresh_Token)>([^<]+)<"#,
            #""Token":"([^"]+)""#,
        ]
        var found = credentials.entries.filter(\.secret).map(\.value)
        for body in state.withLockedValue({ $0.bodies }) {
            for pattern in patterns {
                let regex = try! NSRegularExpression(pattern: pattern)
                for match in regex.matches(in: body, range: NSRange(body.startIndex..., in: body)) {
                    if let range = Range(match.range(at: 1), in: body) { found.append(String(body[range])) }
                }
            }
        }
        return found
    }
}

/// A mock started by a test, with its credentials as the environment a live run would read.
struct StartedMock {
    let server: MockServer
    let recorder: RecordingEndpoint

    /// `now`, when given, is the mock's clock (``MockConfiguration/now``).
    static func start(
        _ name: String, deviation: String? = nil, now: (@Sendable () -> Date)? = nil
    ) async throws -> StartedMock {
        var configuration = MockConfiguration(deviation: deviation)
        if let now { configuration.now = now }
        let definition = try #require(MockRegistry.named(name))
        let recorder = RecordingEndpoint(definition.endpoint(configuration))
        let server = try await MockServer.start(recorder, configuration: configuration)
        return StartedMock(server: server, recorder: recorder)
    }

    var baseURL: String { server.baseURL.absoluteString }
    var environment: [String: String] { server.credentials.environment }

    /// Runs `suites` against a fresh mock as a live target (`--base-url`), then stops it: the outcome, and the
    /// mock for what it recorded. The environment is the mock's credentials unless the test gives its own.
    static func live(
        _ name: String, deviation: String? = nil, now: (@Sendable () -> Date)? = nil, _ suites: [String],
        environment: [String: String]? = nil, arguments: @escaping (inout RunOptions) -> Void = { _ in }
    ) async throws -> (RunOutcome, StartedMock) {
        let mock = try await start(name, deviation: deviation, now: now)
        let outcome = await runConform(
            suites,
            arguments: { options in
                options.baseURL = mock.baseURL
                arguments(&options)
            }, environment: environment ?? mock.environment)
        await mock.server.stop()
        return (outcome, mock)
    }

    /// ``live(_:deviation:now:_:environment:arguments:)`` against the Pitchpoint mock, with the number of requests
    /// that reached it: a run refused before sending must count none.
    static func runCounting(
        _ suites: [String], arguments: @escaping (inout RunOptions) -> Void = { _ in },
        environment: [String: String]? = nil
    ) async throws -> (RunOutcome, Int) {
        let (outcome, mock) = try await live("pitchpoint", suites, environment: environment, arguments: arguments)
        return (outcome, mock.recorder.requestCount)
    }
}

/// An endpoint that answers every request with a fixed response, for redirects and odd statuses.
struct FixedEndpoint: MockEndpoint {
    var response: MockResponse
    var credentials: MockCredentials { MockCredentials(entries: []) }
    var usesUpCredentials: Bool { false }
    func respond(to request: MockRequest) -> MockResponse { response }
}

/// Wraps an endpoint and edits what goes in and what comes out: one liberty or deviation per test.
struct EditingEndpoint: MockEndpoint {
    var inner: any MockEndpoint
    var request: @Sendable (MockRequest) -> MockRequest = { $0 }
    var response: @Sendable (MockResponse) -> MockResponse = { $0 }

    var credentials: MockCredentials { inner.credentials }
    var usesUpCredentials: Bool { inner.usesUpCredentials }
    func respond(to request: MockRequest) -> MockResponse { response(inner.respond(to: self.request(request))) }
}
