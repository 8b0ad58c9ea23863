import Foundation
import Testing

@testable import ConformKit

@Suite(.temporaryDirectories) struct SuiteLoaderTests {
    private func diagnostics(_ text: String) -> [String] { TestPaths.suiteDiagnostics(text) }

    private func load(_ text: String) throws -> ConformKit.Suite { try TestPaths.loadSuite(text) }

    /// A small valid suite; `extra` is spliced into its only case.
    private func suite(case extra: String = "", variables: String = "{}", top: String = "") -> String {
        """
        {
          "format": 1,
          "name": "s",
          "mock": "pitchpoint",\(top)
          "variables": \(variables),
          "cases": [
            {
              "name": "one",
              "request": { "method": "POST", "path": "/x", "json": { "a": 1 } },
              "expect": { "status": 200 }\(extra)
            }
          ]
        }
        """
    }

    @Test func loadsTheShippedSuites() throws {
        let suites = try SuiteLoader().load([TestPaths.suite("pitchpoint.json"), TestPaths.suite("concur.json")])
        #expect(suites.map(\.name) == ["pitchpoint", "concur"])
        #expect(suites[0].cases.count == 10)
        #expect(suites[1].cases.count == 6)
    }

    @Test func defaultsTheLatencyBudget() throws {
        let loaded = try load(suite())
        guard case .milliseconds(let budget)? = loaded.cases[0].expect.latencyBudget else {
            Issue.record("no default budget")
            return
        }
        #expect(budget == 2000)
    }

    @Test func reportsUnknownKeyWithSuggestion() {
        #expect(
            diagnostics(suite(case: ",\n      \"expct\": {}")) == [
                "suite.json:11:7: error: unknown key 'expct' in case; did you mean 'expect'? (allowed: name, description, request, expect, warn, capture, report, repeat, concurrency, repeat_safe, compare, tags, requires, each, skip_if)"
            ])
    }

    @Test func reportsWrongType() {
        #expect(
            diagnostics(suite(top: "\n  \"description\": 5,")) == [
                "suite.json:5:18: error: 'description' in suite must be a string, got a number"
            ])
    }

    @Test func reportsUnknownModel() {
        let text = suite().replacingOccurrences(
            of: #""status": 200"#, with: #""status": 200, "body": {"model": "pitchpoint.tokn"}"#)
        #expect(
            diagnostics(text) == [
                "suite.json:10:52: error: unknown model 'pitchpoint.tokn'; did you mean 'pitchpoint.token'? (known models: pitchpoint.token, pitchpoint.error, concur.token.json, concur.error.json, rfc6749.token, rfc6749.error)"
            ])
    }

    @Test func reportsUndefinedReference() {
        let text = suite(variables: #"{"token": {"value": "${env:T}"}}"#)
            .replacingOccurrences(of: #""a": 1"#, with: #""a": "${tokn}""#)
        #expect(
            diagnostics(text) == [
                "suite.json:9:67: error: undefined variable or capture '${tokn}'; did you mean 'token'?"
            ])
    }

    @Test func reportsReferenceToALaterCapture() {
        let text = """
            {"format": 1, "name": "s", "mock": "pitchpoint", "cases": [
              {"name": "first", "request": {"method": "GET", "path": "/a?${later}"}, "expect": {"status": 200}},
              {"name": "second", "request": {"method": "GET", "path": "/b"}, "expect": {"status": 200},
               "capture": {"later": {"field": "x"}}}
            ]}
            """
        #expect(
            diagnostics(text) == [
                "suite.json:2:58: error: '${later}' is captured by the later case 'second'; a capture is available only to the cases after it"
            ])
    }

    @Test func reportsEnvironmentReferenceOutsideVariables() {
        let text = suite().replacingOccurrences(of: #""a": 1"#, with: #""a": "${env:HOME}""#)
        #expect(
            diagnostics(text) == [
                "suite.json:9:67: error: '${env:HOME}' is only allowed in a variable's 'value'; define a variable that reads it"
            ])
    }

    @Test func reportsEveryProblemNotJustTheFirst() {
        let text = """
            {"format": 2, "name": "", "cases": [
              {"name": "a", "request": {"method": "FETCH", "path": "x"}, "expect": {"status": "6xx"}}
            ]}
            """
        #expect(
            diagnostics(text) == [
                "suite.json:1:12: error: unsupported suite format 2 (this conform reads format 1)",
                "suite.json:1:23: error: 'name' in suite must not be empty",
                "suite.json:2:39: error: unknown method 'FETCH' (one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS)",
                "suite.json:2:56: error: 'path' must start with '/', got \"x\"",
                "suite.json:2:83: error: 'status' must be a status code (100-599), a class such as \"4xx\", or an array of them; got string \"6xx\"",
            ])
    }

    @Test func reportsSyntaxErrorsWithTheirLocation() {
        #expect(
            diagnostics("{\n  \"format\": 1,\n  \"name\": \"x\"\n  \"cases\": []\n}") == [
                "suite.json:4:3: error: invalid JSON: expected ',' or '}' in object, found character '\"'"
            ])
    }

    @Test func reportsAMissingFile() {
        switch SuiteLoader().load("/nonexistent/suite.json") {
        case .success: Issue.record("loaded a missing file")
        case .failure(let error):
            #expect(error.description == "/nonexistent/suite.json: error: no such suite file")
        }
    }

    @Test func reportsAnUnreadableSchema() {
        let text = suite().replacingOccurrences(
            of: #""status": 200"#, with: #""status": 200, "body": {"xml_schema": "missing.xsd"}"#)
        #expect(diagnostics(text) == ["suite.json:10:57: error: cannot use XML schema 'missing.xsd': missing.xsd: no such file"])
    }

    @Test func reportsUnknownFieldRule() {
        let text = suite(case: #", "warn": {"fields": {"a": ["nonempty"]}}"#)
        #expect(
            diagnostics(text) == [
                "suite.json:10:62: error: unknown rule 'nonempty' for field 'a'; did you mean 'non_empty'? (rules: non_empty, jwt, absent, integer, equals, equals_ignoring_case, greater_than, at_least, less_than, at_most, matches, one_of, date, differs_from, if_present, contains, scope_subset_of, scope_equals)"
            ])
    }

    @Test func rejectsCaptureThatShadowsAVariable() {
        let text = suite(case: #", "capture": {"token": {"field": "x"}}"#, variables: #"{"token": {"default": "t"}}"#)
        #expect(
            diagnostics(text) == [
                "suite.json:10:48: error: capture 'token' has the name of a variable; choose another name"
            ])
    }

    @Test func classifiesReferencesAsVariablesOrCaptures() throws {
        let text = """
            {"format": 1, "name": "s", "mock": "pitchpoint", "variables": {"v": {"default": "1"}}, "cases": [
              {"name": "first", "request": {"method": "GET", "path": "/a"}, "expect": {"status": 200},
               "capture": {"c": {"field": "x", "secret": true}}},
              {"name": "second", "request": {"method": "GET", "path": "/b/${v}/${c}"}, "expect": {"status": 200}}
            ]}
            """
        let loaded = try load(text)
        #expect(
            loaded.cases[1].request?.path.segments == [.literal("/b/"), .variable("v"), .literal("/"), .capture("c")])
        #expect(loaded.cases[0].captures.first?.secret == true)
    }

    @Test func rejectsACaptureWithFieldAndHeader() {
        let text = suite(case: #", "capture": {"c": {"field": "x", "header": "X-Id"}}"#)
        #expect(
            diagnostics(text) == ["suite.json:10:53: error: capture 'c' takes either 'field' or 'header', not both"])
    }

    @Test func rejectsPathsThatCannotNameAnXMLElement() {
        let schema = TestPaths.packageRoot.appendingPathComponent("suites/schemas/concur/access-token.xsd").path
        let text = suite(case: #", "capture": {"c": {"field": "Access_Token.Token"}}"#)
            .replacingOccurrences(of: #""status": 200"#, with: #""status": 200, "body": {"xml_schema": "\#(schema)"}"#)
        #expect(
            diagnostics(text) == [
                "suite.json:7:5: error: 'Access_Token.Token' cannot name a field of an XML body: use the name of a child of the root element"
            ])
    }

    @Test func rejectsExpectAndWarnDecodingDifferently() {
        let schema = TestPaths.packageRoot.appendingPathComponent("suites/schemas/concur/access-token.xsd").path
        let text = suite(case: #", "warn": {"body": {"model": "concur.token.json"}}"#)
            .replacingOccurrences(of: #""status": 200"#, with: #""status": 200, "body": {"xml_schema": "\#(schema)"}"#)
        #expect(
            diagnostics(text) == [
                "suite.json:7:5: error: 'expect' and 'warn' decode the body differently (one as JSON, one as XML); use one kind"
            ])
    }

    @Test func saysWhenACaseUsesItsOwnCapture() {
        let text = suite(case: #", "capture": {"c": {"field": "x"}}"#).replacingOccurrences(
            of: #""path": "/x""#, with: #""path": "/x/${c}""#)
        #expect(
            diagnostics(text) == [
                "suite.json:9:46: error: '${c}' is captured by this case; a capture is available only to the cases after it"
            ])
    }

    @Test func defaultsMayReferenceVariablesOnly() {
        let text = suite(
            case: #", "capture": {"c": {"field": "x"}}"#, top: #"\#n  "defaults": {"headers": {"X-C": "${c}"}},"#)
        #expect(
            diagnostics(text) == [
                "suite.json:5:35: error: 'defaults' may only reference variables, not the capture '${c}'"
            ])
    }
}
