@testable import ConformHTTP
import Foundation
import Testing

@testable import ConformJSONSchema
@testable import ConformKit

/// Same input, same output: the findings of a repeated case come out in one order in every output, however
/// the samples finished.
@Suite(.temporaryDirectories) struct StableOutputTests {
    /// A case against the embedded mock whose warn block misses six times: two field rules, four headers.
    static let suite = """
        {
          "format": 1,
          "name": "stable",
          "mock": "pitchpoint",
          "variables": { "refresh_token": { "value": "${env:PITCHPOINT_REFRESH_TOKEN}", "secret": true } },
          "cases": [
            {
              "name": "refresh",
              "repeat_safe": true,
              "request": {
                "method": "POST",
                "path": "/user-management-services-ws/oauth2/002/refreshIdToken",
                "json": { "refresh_token": "${refresh_token}" }
              },
              "expect": { "status": 200 },
              "warn": {
                "fields": { "token_type": { "equals": "MAC" }, "scope": { "equals": "admin" } },
                "headers": {
                  "Pragma": "no-cache", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
                  "Strict-Transport-Security": "max-age"
                }
              }
            }
          ]
        }
        """

    /// The warnings in the order of the checks: field rules (file order), then headers (file order).
    static let expectedWarnings: [(check: String, message: String)] = [
        ("field", #"token_type: expected "MAC", got string "Bearer""#),
        ("field", #"scope: expected "admin", got string "policy""#),
        ("header", #"Pragma: expected "no-cache", got no Pragma header"#),
        ("header", #"Cache-Control: expected "no-store", got no Cache-Control header"#),
        ("header", #"X-Content-Type-Options: expected "nosniff", got no X-Content-Type-Options header"#),
        ("header", #"Strict-Transport-Security: expected "max-age", got no Strict-Transport-Security header"#),
    ]

    /// What each output says about the findings of the case, and nothing that changes with timing.
    struct Findings: Equatable {
        var console: [String]
        var junit: [String]
        var json: [String]
        var html: String
    }

    static func run(_ path: String) async throws -> Findings {
        let folder = TestPaths.temporaryDirectory()
        let html = folder.appendingPathComponent("report.html").path
        let outcome = await runConform([path]) {
            $0.repeatCount = 50
            $0.concurrency = 8
            $0.format = .json
            $0.htmlReportPath = html
        }
        #expect(outcome.status == .passed)
        #expect(JUnitSchemas.problems(outcome.report) == [])
        let console = outcome.stderr.split(separator: "\n").map(String.init)
            .filter { $0.hasPrefix("        warning") || $0.hasPrefix("        note") }
        let junit = outcome.reportText.split(separator: "\n")
            .filter { $0.contains("name=\"refresh.warning.") || $0.contains("name=\"refresh.note.") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let results = try JSONDecoder.snakeCase.decode(JSONResults.self, from: Data(outcome.stdout.utf8))
        let json = try #require(results.suites.first?.cases.first).findings.map {
            "\($0.severity) [\($0.label)]: \($0.message)"
        }
        let page = try String(contentsOfFile: html, encoding: .utf8)
        let list = try #require(page.range(of: "<ul class=\"findings\">"))
        let end = try #require(page.range(of: "</ul>", range: list.upperBound..<page.endIndex))
        return Findings(
            console: console, junit: junit, json: json, html: String(page[list.lowerBound..<end.upperBound]))
    }

    @Test func repeatedSamplesGiveTheSameFindingsInTheOrderOfTheChecks() async throws {
        let path = TestPaths.writeSuite(Self.suite)
        let first = try await Self.run(path)
        #expect(first.json == Self.expectedWarnings.map { "warning [\($0.check)]: \($0.message)" })
        #expect(first.console == first.json.map { "        \($0)" })
        #expect(
            first.junit
                == Self.expectedWarnings.enumerated().map { index, warning in
                    let value = XMLText.escaped("\(warning.check): \(warning.message)")
                    return "<property name=\"refresh.warning.\(index + 1)\" value=\"\(value)\"/>"
                })
        for _ in 0..<4 {
            #expect(try await Self.run(path) == first)
        }
    }
}
