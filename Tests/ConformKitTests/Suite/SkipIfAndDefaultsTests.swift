import Foundation
import NIOHTTP1
import Testing

@testable import ConformKit

/// `skip_if` (a response the case cannot judge) and a variable's `default` naming another variable: what
/// `suites/oauth2.json` needs for servers that bind grant types per client.
@Suite(.temporaryDirectories) struct SkipIfAndDefaultsTests {
    static let suite = """
        {
          "format": 1, "name": "s",
          "variables": { "client_id": { "value": "${env:ID}" },
                         "refresh_client_id": { "value": "${env:REFRESH_ID}", "default": "${client_id}" } },
          "cases": [
            { "name": "refresh", "repeat": 3,
              "request": { "method": "POST", "path": "/token", "form": { "client_id": "${refresh_client_id}" } },
              "skip_if": { "status": "4xx", "fields": { "error": { "equals": "unauthorized_client" } },
                           "reason": "the client may not refresh: set REFRESH_ID" },
              "expect": { "status": 200 },
              "capture": { "token": { "field": "access_token" } } },
            { "name": "after", "request": { "method": "GET", "path": "/x?t=${token}" }, "expect": { "status": 200 } }
          ]
        }
        """

    private func run(_ body: String, status: HTTPResponseStatus, environment: [String: String] = ["ID": "first"])
        async throws -> (RunOutcome, RecordingEndpoint, String)
    {
        let endpoint = RecordingEndpoint(
            FixedEndpoint(response: .full(status: status, contentType: "application/json", body: Data(body.utf8))))
        let server = try await MockServer.start(endpoint, configuration: MockConfiguration())
        let path = TestPaths.writeSuite(Self.suite)
        let har = TestPaths.temporaryDirectory().appendingPathComponent("run.har").path
        let outcome = await runConform(
            [path],
            arguments: {
                $0.baseURL = server.baseURL.absoluteString
                $0.harPath = har
            }, environment: environment)
        await server.stop()
        return (outcome, endpoint, (try? String(contentsOfFile: har, encoding: .utf8)) ?? "")
    }

    @Test func aResponseShowingSkipIfSkipsTheCaseWithTheReason() async throws {
        let (outcome, endpoint, har) = try await run(#"{"error": "unauthorized_client"}"#, status: .badRequest)
        #expect(outcome.status == .passed)
        #expect(
            outcome.stdout.contains(
                "  SKIP  refresh: the client may not refresh: set REFRESH_ID (the endpoint answered 400)\n"),
            "\(outcome.stdout)")
        #expect(outcome.stdout.contains("  SKIP  after: needs ${token}, which case 'refresh' could not capture: it was skipped\n"))
        #expect(endpoint.requestCount == 1, "no further sample is sent once the case is skipped")
        #expect(outcome.reportText.contains(#"<skipped message="the client may not refresh: set REFRESH_ID (the endpoint answered 400)"></skipped>"#))
        #expect(har.contains(#""_outcome" : "skipped: the client may not refresh: set REFRESH_ID""#) || har.contains("skipped: the client may not refresh"))
    }

    @Test func anotherRefusalIsJudgedAsUsual() async throws {
        let (outcome, endpoint, _) = try await run(#"{"error": "invalid_grant"}"#, status: .badRequest)
        #expect(outcome.status == .failed)
        #expect(outcome.stdout.contains("  FAIL  refresh (400, "))
        #expect(endpoint.requestCount == 3)
        let (unauthorized, _, _) = try await run(#"{"error": "unauthorized_client"}"#, status: .ok)
        // A 200 is not a 4xx: the case is judged, and fails on what it lacks.
        #expect(unauthorized.stdout.contains("  FAIL  refresh (200, 3 samples, "), "\(unauthorized.stdout)")
        #expect(unauthorized.stdout.contains("failure [capture]: token: field access_token is not in the response"))
    }

    /// The refresh client defaults to the first; set, it is used instead.
    @Test func aDefaultNamingAnotherVariableTakesItsValue() throws {
        let suite = try TestPaths.loadSuite(Self.suite)
        #expect(VariableResolver.resolve(suite, environment: ["ID": "a"], overrides: [:]).variables["refresh_client_id"] == "a")
        #expect(
            VariableResolver.resolve(suite, environment: ["ID": "a", "REFRESH_ID": "b"], overrides: [:])
                .variables["refresh_client_id"] == "b")
        #expect(
            VariableResolver.resolve(suite, environment: [:], overrides: ["client_id": "c"])
                .variables["refresh_client_id"] == "c")
        #expect(VariableResolver.resolve(suite, environment: [:], overrides: [:]).unset["refresh_client_id"] != nil)
    }

    @Test func aDefaultMayNameOnlyAVariableDeclaredAbove() {
        let text = """
            { "format": 1, "name": "s", "mock": "pitchpoint",
              "variables": { "a": { "value": "${env:A}", "default": "${b}" }, "b": { "value": "x" },
                             "c": { "default": "${env:C}" } },
              "cases": [ { "name": "a", "request": { "method": "GET", "path": "/${a}${c}" }, "expect": { "status": 200 } } ] }
            """
        #expect(
            TestPaths.suiteDiagnostics(text) == [
                "suite.json:2:57: error: variable 'a': a 'default' may name a variable declared above it; 'b' is not one"
            ])
    }

    @Test func skipIfNeedsAStatusAndAReason() {
        let text = """
            { "format": 1, "name": "s", "mock": "pitchpoint",
              "cases": [ { "name": "a", "request": { "method": "GET", "path": "/" }, "expect": { "status": 200 },
                           "skip_if": { "fields": { "error": { "equals": "x" } }, "latency_budget_ms": 5 } } ] }
            """
        #expect(
            TestPaths.suiteDiagnostics(text) == [
                "suite.json:3:27: error: missing required key 'reason' in skip_if of case 'a'",
                "suite.json:3:27: error: missing required key 'status' in skip_if of case 'a'",
                "suite.json:3:71: error: unknown key 'latency_budget_ms' in skip_if of case 'a' (allowed: use, status, content_type, fields, headers, reason)",
            ], "\(TestPaths.suiteDiagnostics(text))")
    }
}
