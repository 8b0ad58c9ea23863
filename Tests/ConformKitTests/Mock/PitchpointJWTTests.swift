import Foundation
import NIOHTTP1
import Testing

@testable import ConformJSON
@testable import ConformKit
@testable import ConformSupport

/// The pitchpoint mock issues real RS256 JWTs at its injected clock, states that clock in `Date`, and
/// serves the key set that verifies them; each JWT deviation breaks exactly what it names.
@Suite struct PitchpointJWTTests {
    /// The access token and the Date of the mock's first (successful) answer under `now`.
    static func issued(
        deviation: String? = nil, now: @escaping @Sendable () -> Date = MockDeterminismTests.early
    ) throws -> (token: String, date: String?, body: Data) {
        let mock = try #require(MockRegistry.named("pitchpoint"))
        let answers = MockDeterminismTests.answers(mock, deviation: deviation, now: now)
        guard case .full(.ok, _, let body, let headers) = answers[0],
            case .object(let fields)? = JSONValue.decode(body), case .string(let token)? = fields["access_token"]
        else { throw Failure("no token in \(answers[0])") }
        return (token, headers.first { $0.0 == "Date" }?.1, body)
    }

    static func keySet() throws -> JSONWebKeySet {
        let mock = try #require(MockRegistry.named("pitchpoint")).endpoint(MockConfiguration())
        let answer = mock.respond(
            to: MockRequest(method: "GET", path: PitchpointMock.keySetPath, query: [:], headers: [:], body: Data()))
        guard case .full(.ok, _, let body, _) = answer else { throw Failure("no key set: \(answer)") }
        return try JSONWebKeySet.parse(body)
    }

    /// The check the shipped suite makes, with the mock's key set and the local clock at the mock's.
    static func check(now: Date) throws -> JWTCheck {
        var check = JWTCheck(
            path: FieldPath("access_token")!,
            expectation: JWTFixtures.expectation {
                $0.algorithms = ["RS256"]
                $0.lifetimeField = FieldPath("expires_in")
                $0.requiredClaims = ["iss", "aud", "sub", "iat", "exp"]
            })
        check.keys = .keySet(try keySet(), origin: "the key set /jwks")
        check.now = { now }
        return check
    }

    @Test func tokensAreSignedAtTheInjectedClock() throws {
        let (token, date, body) = try Self.issued()
        let now = MockDeterminismTests.early()
        #expect(date == HTTPDate.format(now))
        let decoded = try JSONWebToken.decode(token)
        #expect(decoded.header == ["alg": .string("RS256"), "kid": .string("conform-mock-1"), "typ": .string("JWT")])
        #expect(decoded.numericDate("iat") == now.timeIntervalSince1970)
        #expect(decoded.numericDate("exp") == now.timeIntervalSince1970 + 3600)
        #expect(decoded.claims["iss"] == .string("https://securetoken.google.com/conform-mock"))
        // The same clock gives the same token: nothing in it is drawn at random.
        #expect(try Self.issued().token == token)
        let subject = response(headers: [("Date", date ?? "")], body: String(decoding: body, as: UTF8.self))
        #expect(messages(try Self.check(now: now), subject).isEmpty)
    }

    @Test(arguments: [
        (
            "jwt-expired",
            "failure: access_token: JWT exp: 4039632060 (2098-01-04T00:01:00Z) is 60 minutes before the response's Date (2098-01-04T01:01:00Z)"
        ),
        (
            "jwt-lifetime-mismatch",
            "failure: access_token: JWT exp - iat is 4 s (iat 4039635660, exp 4039635664), but expires_in says 3600 s (60 s skew allowed)"
        ),
        (
            "jwt-bad-signature",
            #"failure: access_token: JWT signature (RS256, kid "conform-mock-1") does not verify with the key set /jwks"#
        ),
        ("jwt-alg-none", #"failure: access_token: JWT alg "none": an unsigned token is never accepted"#),
    ])
    func eachDeviationBreaksWhatItNames(deviation: String, message: String) throws {
        let (_, date, body) = try Self.issued(deviation: deviation)
        let subject = response(headers: [("Date", date ?? "")], body: String(decoding: body, as: UTF8.self))
        #expect(messages(try Self.check(now: MockDeterminismTests.early()), subject) == [message])
    }
}
