import Foundation
import Testing

@testable import ConformKit

/// The comparison rules as a suite writes them: numbers against a variable, a capture, another field or the
/// time of the check; array membership; scope sets. Loaded, compiled and checked as a run does.
@Suite(.temporaryDirectories) struct FieldComparisonTests {
    /// The findings of `fields` (a JSON object) on a response with `body`, variables set to `variables`.
    static func findings(
        _ fields: String, body: String, variables: [String: String] = [:], captures: [String: String] = [:]
    ) throws -> [String] {
        let declared = ["scope", "limit", "client_id"].map { #""\#($0)": { "value": "${env:\#($0.uppercased())}", "required": false }"# }
        let text = """
            {
              "format": 1, "name": "s", "mock": "pitchpoint",
              "variables": { \(declared.joined(separator: ", ")) },
              "cases": [
                { "name": "a", "request": { "method": "GET", "path": "/" }, "expect": { "status": 200 },
                  "capture": { "earlier": { "field": "n" } } },
                { "name": "b", "request": { "method": "GET", "path": "/" },
                  "expect": { "status": 200, "fields": \(fields) } }
              ]
            }
            """
        let suite = try TestPaths.loadSuite(text)
        var values = VariableResolver.resolve(suite, environment: [:], overrides: variables)
        values.captures = captures
        let checks = CheckRegistry.checks(for: suite.cases[1].expect, body: nil, values: values)
        return checks.flatMap { messages($0, response(body: body)) }
    }

    @Test func aNumberAgainstAnotherFieldOfTheResponse() throws {
        let rule = #"{ "ext_expires_in": { "at_least": { "field": "expires_in" } } }"#
        #expect(try Self.findings(rule, body: #"{"expires_in": 3600, "ext_expires_in": 3600}"#).isEmpty)
        #expect(
            try Self.findings(rule, body: #"{"expires_in": 3600, "ext_expires_in": 1800}"#) == [
                "failure: ext_expires_in: expected a number >= expires_in (3600), got number 1800"
            ])
        #expect(
            try Self.findings(rule, body: #"{"ext_expires_in": 1800}"#) == [
                "failure: ext_expires_in: cannot compare with the field expires_in: it is missing"
            ])
        #expect(
            try Self.findings(rule, body: #"{"expires_in": "3600", "ext_expires_in": 1800}"#) == [
                #"failure: ext_expires_in: cannot compare with the field expires_in: it is string "3600", not a number"#
            ])
        #expect(
            try Self.findings(rule, body: #"{"expires_in": 3600, "ext_expires_in": "7200"}"#) == [
                #"failure: ext_expires_in: expected a number >= expires_in (3600), got string "7200""#
            ])
    }

    @Test func aNumberAgainstAVariableOrACapture() throws {
        let rule = #"{ "n": [{ "at_most": "${limit}" }, { "greater_than": "${earlier}" }] }"#
        #expect(try Self.findings(rule, body: #"{"n": 5}"#, variables: ["limit": "5"], captures: ["earlier": "4"]).isEmpty)
        #expect(
            try Self.findings(rule, body: #"{"n": 6}"#, variables: ["limit": " 5 "], captures: ["earlier": "6"]) == [
                "failure: n: expected a number <= 5 (${limit}), got number 6",
                "failure: n: expected a number > 6 (${earlier}), got number 6",
            ])
        #expect(
            try Self.findings(rule, body: #"{"n": 6}"#, variables: ["limit": "five"], captures: ["earlier": "1"]) == [
                #"failure: n: cannot compare with ${limit}: its value "five" is not a number"#
            ])
    }

    @Test func aNumberAgainstTheTimeOfTheCheck() throws {
        let now = Date().timeIntervalSince1970.rounded(.down)
        let rule = #"{ "exp": [{ "at_least": { "now": 0 } }, { "at_most": { "now": 3600 } }] }"#
        #expect(try Self.findings(rule, body: #"{"exp": \#(Int(now) + 60)}"#).isEmpty)
        let past = try Self.findings(rule, body: #"{"exp": 1708719}"#)
        #expect(past.count == 1)
        #expect(past.first?.hasPrefix("failure: exp: expected a number >= now (") == true)
        #expect(past.first?.hasSuffix("), got number 1708719") == true)
        let late = try Self.findings(rule, body: #"{"exp": \#(Int(now) + 7200)}"#)
        #expect(late.first?.hasPrefix("failure: exp: expected a number <= now + 3600 s (") == true, "\(late)")
    }

    @Test func anArrayContains() throws {
        let rule = #"{ "aud": { "contains": "${client_id}" }, "n": { "contains": 2 } }"#
        #expect(try Self.findings(rule, body: #"{"aud": ["api", "app"], "n": [1, 2]}"#, variables: ["client_id": "app"]).isEmpty)
        #expect(
            try Self.findings(rule, body: #"{"aud": "app", "n": [1, "2", 3, 4, 5, 6]}"#, variables: ["client_id": "app"]) == [
                #"failure: aud: expected an array containing "app" (${client_id}), got string "app""#,
                #"failure: n: expected an array containing number 2, got an array of 6: number 1, string "2", number 3, number 4, number 5, …"#,
            ])
        #expect(
            try Self.findings(rule, body: #"{"aud": [], "n": [2]}"#, variables: ["client_id": "app"]) == [
                #"failure: aud: expected an array containing "app" (${client_id}), got an empty array"#
            ])
    }

    @Test func scopesAreSetsInAnyOrder() throws {
        let subset = #"{ "scope": { "scope_subset_of": "${scope}" } }"#
        let requested = ["scope": "read  write openid"]
        #expect(try Self.findings(subset, body: #"{"scope": "write read"}"#, variables: requested).isEmpty)
        #expect(
            try Self.findings(subset, body: #"{"scope": "read admin write admin root"}"#, variables: requested) == [
                #"failure: scope: expected scopes among "read  write openid" (${scope}), got string "read admin write admin root"; not requested: "admin", "root""#
            ])
        let equal = #"{ "scope": { "scope_equals": "${scope}" } }"#
        #expect(try Self.findings(equal, body: #"{"scope": "openid write read"}"#, variables: requested).isEmpty)
        #expect(
            try Self.findings(equal, body: #"{"scope": "read email"}"#, variables: requested) == [
                #"failure: scope: expected the scopes "read  write openid" (${scope}) in any order, got string "read email"; not requested: "email"; missing: "write", "openid""#
            ])
        #expect(
            try Self.findings(equal, body: #"{"scope": ["read"]}"#, variables: requested) == [
                #"failure: scope: expected the scopes "read  write openid" (${scope}) in any order, got an array of 1"#
            ])
    }

    /// A megabyte of scope tokens is judged in linear time, and the message stays short.
    @Test func aHugeScopeIsBoundedInTimeAndInTheMessage() throws {
        let tokens = (0..<150_000).map { "s\($0)" }.joined(separator: " ")
        #expect(tokens.utf8.count > 1_000_000)
        let clock = ContinuousClock()
        let start = clock.now
        let found = try Self.findings(
            #"{ "scope": { "scope_subset_of": "${scope}" } }"#, body: #"{"scope": "\#(tokens)"}"#,
            variables: ["scope": "s1 s2"])
        #expect(clock.now - start < .seconds(20))
        #expect(found.count == 1)
        #expect(found.first?.hasSuffix(#"; not requested: "s0", "s3", "s4", "s5", "s6" and 149993 more"#) == true)
        #expect((found.first?.count ?? 0) < 400)
    }

    @Test func theLoaderRefusesBoundsItCannotUse() {
        let diagnostics = [
            #"{ "n": { "at_least": "ten" } }"#,
            #"{ "n": { "at_most": { "field": "a b[" } } }"#,
            #"{ "n": { "at_most": { "then": 1 } } }"#,
            #"{ "n": { "less_than": true } }"#,
            #"{ "n": { "scope_subset_of": ["a"] } }"#,
        ].map { rule in
            TestPaths.suiteDiagnostics(
                """
                { "format": 1, "name": "s", "mock": "pitchpoint",
                  "cases": [ { "name": "a", "request": { "method": "GET", "path": "/" },
                               "expect": { "status": 200, "fields": \(rule) } } ] }
                """
            ).map { $0.replacingOccurrences(of: #"^suite\.json:\d+:\d+: "#, with: "", options: .regularExpression) }
        }
        #expect(
            diagnostics == [
                [#"error: rule 'at_least' for field 'n' takes a number, a "${variable}", {"field": …} or {"now": seconds}; got string "ten""#],
                [#"error: 'a b[' is not a field path"#],
                [#"error: rule 'at_most' for field 'n' takes a number, a "${variable}", {"field": …} or {"now": seconds}; got an object"#],
                [#"error: rule 'less_than' for field 'n' takes a number, a "${variable}", {"field": …} or {"now": seconds}; got a boolean"#],
                ["error: rule 'scope_subset_of' for field 'n' takes a string of space-separated scopes, got an array"],
            ], "\(diagnostics)")
    }

    /// The example of docs/suite-format.md loads as written.
    @Test func theDocumentedExampleLoads() throws {
        let docs = try String(
            contentsOf: TestPaths.packageRoot.appendingPathComponent("docs/suite-format.md"), encoding: .utf8)
        let block = try #require(
            DocsBlock.blocks(of: "docs/suite-format.md", text: docs).first {
                $0.language == "json" && $0.lines.first == #""fields": {"#
            })
        let fields = block.lines.dropFirst().joined(separator: "\n")
        let diagnostics = TestPaths.suiteDiagnostics(
            """
            { "format": 1, "name": "s", "mock": "pitchpoint",
              "variables": { "previous_count": { "value": "1" }, "scope": { "value": "a" }, "client_id": { "value": "c" } },
              "cases": [ { "name": "a", "request": { "method": "GET", "path": "/" },
                           "expect": { "status": 200, "fields": { \(fields) } } ]
            }
            """)
        #expect(diagnostics == [])
    }
}
