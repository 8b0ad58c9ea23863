import Foundation
import Testing

@testable import ConformKit

/// A skip says why in words that are true: a suite bug is an error that fails the run, and a case that needs
/// a capture of a case that got no response says so rather than blaming the response.
@Suite(.temporaryDirectories) struct SkipReasonTests {
    private static let refreshPath = "/user-management-services-ws/oauth2/002/refreshIdToken"

    private static func suite(_ cases: String, variables: String = "") -> String {
        TestPaths.writeSuite(
            """
            {
              "format": 1, "name": "s", "mock": "pitchpoint",
              "variables": { "refresh_token": { "value": "${env:PITCHPOINT_REFRESH_TOKEN}", "secret": true }\(variables) },
              "secret_fields": ["access_token", "refresh_token"],
              "cases": [\(cases)]
            }
            """)
    }

    @Test func aPathThatMakesNoURLIsAnErrorThatFailsTheRun() async throws {
        let path = Self.suite(
            """
            { "name": "refresh",
              "request": { "method": "POST", "path": "\(Self.refreshPath)", "json": { "refresh_token": "${refresh_token}" } },
              "expect": { "status": 200 },
              "capture": { "kind": { "field": "token_type" } } },
            { "name": "follow", "request": { "method": "GET", "path": "${kind}" }, "expect": { "status": 200 } }
            """)
        let outcome = await runConform([path])
        #expect(outcome.status == .failed)
        #expect(
            outcome.stdout.contains(
                "  ERROR follow\n        error [invalid-request]: the request could not be sent: the request target \"Bearer\" is neither a path starting with '/' nor an http(s) URL\n"),
            "\(outcome.stdout)")
        #expect(outcome.reportText.contains(#"<error type="invalid-request" message="the request could not be sent: the request target &quot;Bearer&quot; is neither a path starting with '/' nor an http(s) URL">"#), "\(outcome.reportText)")
    }

    @Test func aCaseNeedingTheCaptureOfAnErroredCaseSaysItEndedInAnError() async throws {
        let path = Self.suite(
            """
            { "name": "refresh",
              "request": { "method": "POST", "path": "\(Self.refreshPath)", "json": { "refresh_token": "${refresh_token}" } },
              "expect": { "status": 200 },
              "capture": { "kind": { "field": "token_type" } } },
            { "name": "follow", "request": { "method": "GET", "path": "${kind}" }, "expect": { "status": 200 },
              "capture": { "next": { "field": "next", "optional": true } } },
            { "name": "after", "requires": ["next"],
              "request": { "method": "GET", "path": "/" }, "expect": { "status": 200 } }
            """)
        let outcome = await runConform([path])
        #expect(
            outcome.stdout.contains("  SKIP  after: needs ${next}, which case 'follow' could not capture: it ended in an error\n"),
            "\(outcome.stdout)")
    }

    @Test func aCaseNeedingTheCaptureOfASkippedCaseSaysItWasSkipped() async throws {
        let path = Self.suite(
            """
            { "name": "optional",
              "request": { "method": "POST", "path": "\(Self.refreshPath)", "json": { "refresh_token": "${spare}" } },
              "expect": { "status": 200 },
              "capture": { "rotated": { "field": "refresh_token", "secret": true, "optional": true } } },
            { "name": "after", "requires": ["rotated"],
              "request": { "method": "GET", "path": "/" }, "expect": { "status": 200 } }
            """,
            variables: #", "spare": { "value": "${env:CONFORM_TEST_UNSET_SPARE}", "secret": true, "required": false }"#)
        let outcome = await runConform([path])
        #expect(outcome.status == .passed)
        #expect(
            outcome.stdout.contains("  SKIP  after: needs ${rotated}, which case 'optional' could not capture: it was skipped\n"),
            "\(outcome.stdout)")
    }
}
