import Foundation
import Testing

@testable import ConformKit

/// `each`: one case, one run per row, each row a case of its own in selection and reports.
@Suite(.temporaryDirectories) struct MatrixCaseTests {
    static func suite(each: String, capture: String = "") -> String {
        """
        {
          "format": 1, "name": "rows", "mock": "pitchpoint",
          "variables": { "refresh_token": { "value": "${env:PITCHPOINT_REFRESH_TOKEN}", "secret": true } },
          "cases": [
            { "name": "refresh",
              "each": \(each),\(capture)
              "request": { "method": "POST", "path": "/user-management-services-ws/oauth2/002/refreshIdToken",
                "json": { "refresh_token": "${token}", "note": "$${token} stays" } },
              "expect": { "status": "${status}" } }
          ]
        }
        """
    }

    static let rows = #"[{"token": "${refresh_token}", "status": "2xx"}, {"token": "made-up", "status": "4xx"}]"#

    @Test func eachRowIsACaseNamedWithItsValues() throws {
        let suite = try TestPaths.loadSuite(Self.suite(each: Self.rows))
        #expect(
            suite.cases.map(\.name) == [
                "refresh [token=${refresh_token}, status=2xx]", "refresh [token=made-up, status=4xx]",
            ])
        guard case .json(.object(let members))? = suite.cases[1].request?.body else {
            Issue.record("no JSON body")
            return
        }
        #expect(members.map(\.key) == ["refresh_token", "note"])
        // Strings without references are kept as literals: `$${token}` has become the text `${token}`.
        #expect(
            members.map { member -> String in
                switch member.value {
                case .string(let template): "template \(template.source)"
                case .literal(.string(let text)): "literal \(text)"
                default: "?"
                }
            } == ["literal made-up", "literal ${token} stays"])
        #expect(suite.cases[0].expect.status == [.family(2)])
        #expect(suite.cases[1].expect.status == [.family(4)])
    }

    /// Each row is its own JUnit test case, and `--filter` selects one row.
    @Test func rowsRunAndReportAsCases() async throws {
        let path = TestPaths.writeSuite(Self.suite(each: Self.rows))
        let outcome = await runConform([path])
        #expect(outcome.status == .passed)
        #expect(outcome.stdout.contains("rows: 2 cases: 2 passed, 0 failed, 0 errors, 0 skipped"))
        #expect(outcome.reportText.contains(#"<testcase name="refresh [token=${refresh_token}, status=2xx]""#))
        #expect(outcome.reportText.contains(#"<testcase name="refresh [token=made-up, status=4xx]""#))
        #expect(JUnitSchemas.problems(outcome.report) == [])
        let one = await runConform([path]) { $0.filter = "made-up" }
        #expect(one.status == .passed)
        #expect(one.stdout.contains("rows: 1 cases: 1 passed"))
    }

    /// A baseline records the failing row alone, by its row name, and a run with it passes.
    @Test func baselinesKeepRowsApart() async throws {
        let rows = #"[{"token": "${refresh_token}", "status": "4xx"}, {"token": "made-up", "status": "4xx"}]"#
        let path = TestPaths.writeSuite(Self.suite(each: rows))
        let baseline = TestPaths.temporaryDirectory().appendingPathComponent("baseline.json").path
        let first = await runConform([path]) { $0.writeBaselinePath = baseline }
        #expect(first.status == .failed)
        #expect(try Baseline.load(baseline).deviations.map(\.case) == ["refresh [token=${refresh_token}, status=4xx]"])
        let second = await runConform([path]) { $0.baselinePath = baseline }
        #expect(second.status == .passed)
    }

    @Test(arguments: [
        ("[]", "suite.json:6:15: error: 'each' must hold at least one row"),
        (
            #"{"a": 1}"#,
            "suite.json:6:15: error: 'each' must be an array of rows such as {\"tenant\": \"a\"}, got an object"
        ),
        (
            #"[{"token": "a", "status": "2xx"}, {"status": "2xx", "token": "a"}]"#,
            #"suite.json:6:49: error: every row of 'each' names the same variables in the same order: expected ["token", "status"], got ["status", "token"]"#
        ),
        (
            #"[{"token": "a", "status": "2xx", "spare": 1}]"#,
            "suite.json:6:48: error: row variable 'spare' is not used by the case (write ${spare} where it goes)"
        ),
        (
            #"[{"refresh_token": "a", "token": "b", "status": "2xx"}]"#,
            "suite.json:6:17: error: row variable 'refresh_token' has the name of a suite variable; give it its own name"
        ),
        (
            #"[{"token": ["a"], "status": "2xx"}]"#,
            "suite.json:6:26: error: row variable 'token' must be a string, number or boolean, got an array"
        ),
        ("[1]", "suite.json:6:16: error: a row of 'each' must be an object, got a number"),
    ])
    func badTablesAreLocated(_ each: String, _ expected: String) {
        #expect(TestPaths.suiteDiagnostics(Self.suite(each: each)) == [expected])
    }

    @Test func tablesAreBoundedAndCannotCapture() {
        let many = "[" + Array(repeating: #"{"token": "a", "status": "2xx"}"#, count: 101).joined(separator: ", ") + "]"
        #expect(
            TestPaths.suiteDiagnostics(Self.suite(each: many)) == [
                "suite.json:6:15: error: 'each' holds 101 rows, more than 100"
            ])
        #expect(
            TestPaths.suiteDiagnostics(
                Self.suite(each: Self.rows, capture: #" "capture": {"t": {"field": "access_token"}},"#))
                == [
                    "suite.json:6:104: error: a case with 'each' cannot 'capture': every row would set the same capture"
                ])
        let twice = #"[{"token": "a", "status": "2xx"}, {"token": "a", "status": "2xx"}]"#
        #expect(
            TestPaths.suiteDiagnostics(Self.suite(each: twice))
                == ["suite.json:5:5: error: duplicate case name 'refresh [token=a, status=2xx]'"])
    }
}
