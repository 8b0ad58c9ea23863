import Foundation
import NIOHTTP1
import Testing

@testable import ConformHTTP
@testable import ConformKit

/// What a mock sends never depends on the clock or on the random tokens it draws, except the dates and
/// tokens themselves: under two fixed clocks whose dates have the narrowest and the widest width, every
/// deviation of every mock answers with the same status, headers and size, and cuts in the same place. A red
/// build must never depend on the time of day.
@Suite struct MockDeterminismTests {
    /// 2098-01-04 01:01 UTC (an hour at which `truncated-document` used to cut elsewhere): a year on is
    /// `1/4/2099 1:01:00 AM`, the narrowest date.
    static let early: @Sendable () -> Date = { Date(timeIntervalSince1970: 4_039_635_660) }
    /// 2098-12-24 23:30 UTC: a year on is `12/24/2099 11:30:00 PM`, the widest date.
    static let late: @Sendable () -> Date = { Date(timeIntervalSince1970: 4_070_302_200) }

    /// A response without its random tokens and dates: what must not change with the clock.
    struct Shape: Equatable, CustomStringConvertible {
        var kind: String
        var status: UInt = 0
        var contentType: String?
        var headers: [String] = []
        var size = 0
        var declaredLength: Int?

        init(_ response: MockResponse) {
            switch response {
            case .full(let status, let contentType, let body, let headers):
                kind = "full"
                self.status = status.code
                self.contentType = contentType
                // A Date header states the clock: its name is part of the shape, its value is not.
                self.headers = headers.map { $0.0 == "Date" ? "Date: <date>" : "\($0.0): \($0.1)" }
                size = body.count
            case .truncated(let status, let contentType, let body, let declaredLength):
                kind = "truncated"
                self.status = status.code
                self.contentType = contentType
                size = body.count
                self.declaredLength = declaredLength
            case .closeWithoutResponse:
                kind = "close"
            }
        }

        var description: String {
            "\(kind) \(status) \(contentType ?? "-") \(headers) \(size) bytes, declared \(declaredLength.map(String.init) ?? "-")"
        }
    }

    /// The requests each mock is sent: a success (Concur's in XML and in JSON) and a refused one.
    static func requests(_ mock: String, _ credentials: MockCredentials) -> [MockRequest] {
        switch mock {
        case "pitchpoint":
            let headers = HTTPHeaders([("Content-Type", "application/json")])
            let token = credentials.value("PITCHPOINT_REFRESH_TOKEN")
            return [
                MockRequest(
                    method: "POST", path: PitchpointMock.refreshPath, query: [:], headers: headers,
                    body: Data(#"{"refresh_token":"\#(token)"}"#.utf8)),
                MockRequest(
                    method: "POST", path: PitchpointMock.refreshPath, query: [:], headers: headers,
                    body: Data(#"{"refresh_token":"not-a-token"}"#.utf8)),
            ]
        case "concur":
            let query = [
                "refresh_token": credentials.value("CONCUR_REFRESH_TOKEN"),
                "client_id": credentials.value("CONCUR_CLIENT_ID"),
                "client_secret": credentials.value("CONCUR_CLIENT_SECRET"),
            ]
            let wrong = query.merging(["client_secret": "wrong"]) { $1 }
            return [
                MockRequest(method: "GET", path: ConcurMock.path, query: query, headers: [:], body: Data()),
                MockRequest(
                    method: "GET", path: ConcurMock.path, query: query,
                    headers: HTTPHeaders([("Accept", "application/json")]), body: Data()),
                MockRequest(method: "GET", path: ConcurMock.path, query: wrong, headers: [:], body: Data()),
            ]
        case "oidc":
            return [
                OIDCMockTests.post(OIDCMock.tokenPath, "grant_type=client_credentials", credentials),
                OIDCMockTests.post(
                    OIDCMock.tokenPath, "grant_type=refresh_token&refresh_token=\(credentials.value("OIDC_REFRESH_TOKEN"))",
                    credentials),
                OIDCMockTests.post(OIDCMock.tokenPath, "grant_type=client_credentials", credentials, secret: "wrong"),
            ]
        default:
            let basic = ClientAuthentication.basicCredentials(
                id: credentials.value("OAUTH2_CLIENT_ID"), secret: credentials.value("OAUTH2_CLIENT_SECRET"))
            let form = ("Content-Type", "application/x-www-form-urlencoded")
            return [
                MockRequest(
                    method: "POST", path: OAuth2Mock.tokenPath, query: [:],
                    headers: HTTPHeaders([form, ("Authorization", "Basic \(basic)")]),
                    body: Data("grant_type=client_credentials".utf8)),
                MockRequest(
                    method: "POST", path: OAuth2Mock.tokenPath, query: [:],
                    headers: HTTPHeaders([form, ("Authorization", "Basic d3Jvbmc6d3Jvbmc=")]),
                    body: Data("grant_type=client_credentials".utf8)),
            ]
        }
    }

    /// Each request to a fresh mock (new random credentials) under `now`.
    static func answers(
        _ mock: MockDefinition, deviation: String?, now: @escaping @Sendable () -> Date
    ) -> [MockResponse] {
        var configuration = MockConfiguration(deviation: deviation)
        configuration.now = now
        let endpoint = mock.endpoint(configuration)
        return requests(mock.name, endpoint.credentials).map { endpoint.respond(to: $0) }
    }

    @Test(
        arguments: MockRegistry.all.flatMap { mock in
            [(mock.name, nil)] + mock.allDeviations.map { (mock.name, $0.name) }
        })
    func everyAnswerHasTheSameShapeUnderAnyClock(mock name: String, deviation: String?) throws {
        let mock = try #require(MockRegistry.named(name))
        let early = Self.answers(mock, deviation: deviation, now: Self.early).map(Shape.init)
        let late = Self.answers(mock, deviation: deviation, now: Self.late).map(Shape.init)
        #expect(early == late, "\(name) \(deviation ?? "as documented"): \(early) at 01:01, \(late) at 23:30")
        #expect(early.count == Self.requests(name, mock.endpoint(MockConfiguration()).credentials).count)
    }

    /// The clock is the one the configuration gives: Concur's date is a year after it; the document is as
    /// long whatever the date's width, and `truncated-document` stops before the date.
    @Test func concurPrintsTheConfiguredClockAndCutsAfterTheDate() throws {
        let mock = try #require(MockRegistry.named("concur"))
        for (now, date) in [(Self.early, "1/4/2099 1:01:00 AM"), (Self.late, "12/24/2099 11:30:00 PM")] {
            let documented = Self.answers(mock, deviation: nil, now: now)
            let truncated = Self.answers(mock, deviation: "truncated-document", now: now)
            guard case .full(.ok, _, let whole, _) = documented[0], case .full(.ok, _, let cut, _) = truncated[0]
            else { throw Failure("no success document: \(documented[0]), \(truncated[0])") }
            let text = String(decoding: whole, as: UTF8.self)
            #expect(text.contains("  <Expiration_date>\(date)</Expiration_date>\n"))
            #expect(String(decoding: cut, as: UTF8.self).hasSuffix("</Token>\n  <Expiration_date>"))
            #expect(whole.count == 242)
            #expect(cut.count == 121)
        }
    }
}
