import Foundation
import Testing

@testable import ConformKit

/// Exit status 2: the invocation or a suite is invalid, a required variable is unset, or the report
/// cannot be written; in every case known before the run, nothing reaches the endpoint.
@Suite(.temporaryDirectories) struct InvocationEndToEndTests {
    @Test func anInvalidSuiteExitsTwoBeforeSending() async throws {
        let broken = TestPaths.writeSuite(
            """
            {"format": 1, "name": "broken", "cases": [
              {"name": "a", "request": {"method": "GET", "path": "/a"}, "expect": {"status": 200, "bodyy": {}}}
            ]}
            """)
        let (outcome, requests) = try await StartedMock.runCounting(
            [TestPaths.suite("pitchpoint.json"), broken], environment: [:])
        #expect(outcome.status == .invalid)
        #expect(requests == 0)
        #expect(outcome.stdout == "")
        #expect(
            outcome.stderr
                == "\(broken):2:87: error: unknown key 'bodyy' in expect of case 'a'; did you mean 'body'? (allowed: use, status, content_type, body, fields, headers, latency_budget_ms, latency, reason, jwks, oidc_metadata)\n"
        )
    }

    @Test func aMissingRequiredVariableExitsTwoNamingIt() async throws {
        let (outcome, requests) = try await StartedMock.runCounting(
            [TestPaths.suite("pitchpoint.json")], environment: [:])
        #expect(outcome.status == .invalid)
        #expect(requests == 0)
        #expect(
            outcome.stderr
                == "\(TestPaths.suite("pitchpoint.json")):9:5: error: required variable 'refresh_token' is not set: set PITCHPOINT_REFRESH_TOKEN or pass --var refresh_token=VALUE\n"
        )
    }

    @Test func concurNamesEachMissingVariable() async {
        let outcome = await runConform(
            [TestPaths.suite("concur.json")], arguments: { $0.baseURL = "http://127.0.0.1:1" },
            environment: ["CONCUR_CLIENT_ID": "app"])
        #expect(outcome.status == .invalid)
        let suite = TestPaths.suite("concur.json")
        #expect(
            outcome.stderr == """
                \(suite):13:5: error: required variable 'client_secret' is not set: set CONCUR_CLIENT_SECRET or pass --var client_secret=VALUE
                \(suite):18:5: error: required variable 'refresh_token' is not set: set CONCUR_REFRESH_TOKEN or pass --var refresh_token=VALUE

                """)
    }

    @Test func anUnwritableReportExitsTwoBeforeSending() async throws {
        let (outcome, requests) = try await StartedMock.runCounting(
            [TestPaths.suite("pitchpoint.json")], arguments: { $0.junitPath = "/dev/null/report.xml" },
            environment: ["PITCHPOINT_REFRESH_TOKEN": "AMf-from-the-environment"])
        #expect(outcome.status == .invalid)
        #expect(requests == 0)
        #expect(
            outcome.stderr.hasPrefix(
                "conform: error: cannot write the report /dev/null/report.xml: cannot create the folder /dev/null"))
    }

    @Test func badOptionsAreAllReported() async {
        let outcome = await runConform([TestPaths.suite("pitchpoint.json")]) {
            $0.timeoutSeconds = -1
            $0.variables = ["nonsense", "refresh_token:s3cr3t-typed-with-a-colon", "refresh_tokn=x"]
            $0.mockDeviation = "missing-feild"
        }
        #expect(outcome.status == .invalid)
        #expect(
            outcome.stderr == """
                conform: error: --timeout must be a number of seconds above 0 and at most 3600, got -1
                conform: error: --var nonsense has no value: expected NAME=VALUE (NAME= for an empty value)
                conform: error: --var expects NAME=VALUE, got 39 characters without '=' (not shown: they may hold a secret)
                conform: error: unknown mock deviation 'missing-feild'; did you mean 'missing-field'? (see conform mock --list-deviations)
                conform: error: --var refresh_tokn: no suite defines a variable 'refresh_tokn'; did you mean 'refresh_token'?

                """)
    }

    @Test func aDeviationMustFitTheSuitesMock() async {
        let outcome = await runConform([TestPaths.suite("pitchpoint.json")]) { $0.mockDeviation = "wrong-root" }
        #expect(outcome.status == .invalid)
        #expect(
            outcome.stderr
                == "conform: error: the pitchpoint mock has no deviation 'wrong-root' (see conform mock --list-deviations)\n"
        )
    }

    @Test func aBaseURLWithAPathIsRefused() async {
        let outcome = await runConform([TestPaths.suite("pitchpoint.json")]) {
            $0.baseURL = "https://api.example.com/v2"
        }
        #expect(outcome.status == .invalid)
        #expect(
            outcome.stderr
                == "conform: error: --base-url \"https://api.example.com/v2\" must be scheme://host[:port] only: the suite's paths are kept as documented\n"
        )
    }

    @Test func oneCombinedReportWithJUnitPath() async {
        let outcome = await runConform([TestPaths.suite("pitchpoint.json"), TestPaths.suite("concur.json")])
        #expect(outcome.status == .passed)
        #expect(JUnitSchemas.problems(outcome.report) == [])
        #expect(outcome.reportText.contains(#"<testsuite name="pitchpoint" package="pitchpoint" id="0""#))
        #expect(outcome.reportText.contains(#"<testsuite name="concur" package="concur" id="1""#))
    }
}
