import Foundation
import Testing

@testable import ConformKit

/// A `${…}` written where the format takes a literal (a header expectation, `matches`, `one_of`) is compared
/// as written: lint and run warn with its location, and the exit status stays what it would be without it.
@Suite(.temporaryDirectories) struct LiteralReferenceWarningTests {
    static let suite = """
        {
          "format": 1, "name": "w", "mock": "pitchpoint",
          "variables": {
            "refresh_token": { "value": "${env:PITCHPOINT_REFRESH_TOKEN}", "secret": true },
            "kind": { "value": "${env:KIND}", "default": "Bearer" }
          },
          "cases": [
            { "name": "refresh", "request": { "method": "POST",
                "path": "/user-management-services-ws/oauth2/002/refreshIdToken",
                "json": { "refresh_token": "${refresh_token}" } },
              "expect": { "status": 200, "fields": { "token_type": [{ "one_of": ["Bearer", "${kind}"] }] } },
              "warn": {
                "headers": { "Pragma": "${kind}", "WWW-Authenticate": { "scheme": "${kind}" } },
                "fields": { "token_type": [{ "equals": "${kind}" }, { "equals_ignoring_case": "${kind}" }] }
              }
            }
          ]
        }
        """

    static let expected = [
        "11:84: warning: " + SuiteFileReader.literalReference("rule 'one_of' for field 'token_type'"),
        "13:32: warning: " + SuiteFileReader.literalReference("the expectation of header 'Pragma'"),
        "13:75: warning: " + SuiteFileReader.literalReference("the expectation of header 'WWW-Authenticate'"),
    ]

    @Test func loaderWarnsWhereALiteralHoldsAReference() throws {
        let path = TestPaths.writeSuite(Self.suite)
        let suite = try SuiteLoader().load(path).get()
        #expect(suite.warnings.map { $0.description.replacingOccurrences(of: path + ":", with: "") } == Self.expected)
        #expect(suite.warnings.allSatisfy { $0.severity == .warning })
    }

    /// The same warnings from lint and run, on standard error; both exit as if there were none.
    @Test func warningsChangeNoExitStatus() async throws {
        let path = TestPaths.writeSuite(Self.suite)
        let lint = try await ConformBinary.run(["lint", path])
        #expect(lint.status == 0)
        #expect(lint.stdout == "\(path): ok, 1 case against the embedded pitchpoint mock\n")
        #expect(lint.stderr == Self.expected.map { "\(path):\($0)\n" }.joined())
        let run = await runConform([path])
        #expect(run.status == .passed)
        #expect(run.stderr.hasPrefix(Self.expected.map { "\(path):\($0)\n" }.joined()))
    }
}
