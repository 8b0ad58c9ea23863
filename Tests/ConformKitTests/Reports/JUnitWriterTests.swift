import Foundation
import Testing

@testable import ConformHTTP
@testable import ConformKit

@Suite struct JUnitWriterTests {
    private func caseResult(
        _ name: String, _ outcome: CaseResult.Outcome, findings: [Finding] = [], failure: TransportFailure? = nil,
        skip: String? = nil, diagnostic: String = ""
    ) -> CaseResult {
        CaseResult(
            name: name, outcome: outcome, findings: findings, transportFailure: failure, skipReason: skip,
            request: "POST http://h/x", status: outcome == .errored ? nil : 200, timing: nil, diagnostic: CaseDiagnostic(text: diagnostic),
            duration: .milliseconds(12.3456))
    }

    private var suiteResult: SuiteResult {
        SuiteResult(
            suiteName: "pitchpoint", suiteFile: "suites/pitchpoint.json", targetDescription: "embedded mock pitchpoint",
            baseURL: "http://127.0.0.1:1", startedAt: Date(timeIntervalSince1970: 1_795_000_000),
            duration: .milliseconds(45.6789),
            cases: [
                caseResult(
                    "passes", .passed,
                    findings: [.warning(.headerToken, "Cache-Control: expected \"no-store\""), .note(.report, "same")]),
                caseResult(
                    "fails", .failed,
                    findings: [
                        .failure(.bodySchema, "expires_in: expected a JSON number, got string \"3600\""),
                        .failure(.fieldEquals, "second"),
                    ], diagnostic: "failure [body]: <&> \"quoted\"\u{0}\u{1B}[31m"),
                caseResult("errs", .errored, failure: .closedWithoutResponse, diagnostic: "error [no-response]: …"),
                caseResult("skips", .skipped, skip: "variable 'username' (PITCHPOINT_USERNAME) is not set"),
            ],
            transcript: "  PASS  passes (200, 1 ms)\n")
    }

    @Test func validatesUnderBothSchemas() throws {
        let report = try JUnitWriter.document(for: [suiteResult, suiteResult])
        #expect(JUnitSchemas.problems(report) == [])
    }

    @Test func writesTheProfileBothConsumersRead() throws {
        let report = try JUnitWriter.document(for: [suiteResult], hostname: "ci-7")
        assertSnapshot(String(decoding: report, as: UTF8.self), named: "junit-writer-profile")
    }

    @Test func masksSecretsEverywhere() throws {
        var result = suiteResult
        result.cases[1].diagnostic = "token AMf-secret-value in the body"
        result.transcript = "AMf-secret-value"
        result.cases[0].findings = [.warning(.report, "AMf-secret-value")]
        let boundary = OutputBoundary(
            secrets: SecretStore(["AMf-secret-value", "testsuite"]), output: BufferedOutput(), errors: BufferedOutput())
        let report = boundary.masked(
            String(decoding: try JUnitWriter.document(for: [result]), as: UTF8.self), as: .xml)
        #expect(!report.contains("AMf-secret-value"))
        #expect(report.contains("token *** in the body"))
        // A secret that is also a word of the markup is masked in content only: the report stays valid.
        #expect(JUnitSchemas.problems(Data(report.utf8)) == [])
    }

    /// The totals and times by value, not only through the golden file: `skipped` counts the skipped cases,
    /// and `time` is seconds with three decimals, for the suite and for each case.
    @Test func writesTotalsAndSecondsAsValues() throws {
        var result = suiteResult
        result.cases.append(caseResult("skips too", .skipped, skip: "not run"))
        result.cases[0].duration = .milliseconds(45)
        result.cases[1].duration = .milliseconds(1234.5678)
        result.duration = .milliseconds(2500)
        let report = String(decoding: try JUnitWriter.document(for: [result], hostname: "ci-7"), as: UTF8.self)
        #expect(report.contains(#" tests="5" failures="1" errors="1" skipped="2" time="2.500">"#))
        let cases = report.matches(of: /<testcase name="([^"]+)" classname="pitchpoint" time="([0-9.]+)"/)
            .map { "\($0.1) \($0.2)" }
        #expect(cases == ["passes 0.045", "fails 1.235", "errs 0.012", "skips 0.012", "skips too 0.012"])
        #expect(report.matches(of: /<skipped message=/).count == 2)
    }

    @Test func writesSecondsWithThreeDecimals() {
        #expect(JUnitWriter.seconds(.milliseconds(12.3456)) == "0.012")
        #expect(JUnitWriter.seconds(.seconds(2)) == "2.000")
        #expect(JUnitWriter.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00")
    }
}

@Suite(.temporaryDirectories) struct ReportFileTests {
    @Test func writesAtomicallyAndCreatesTheFolder() throws {
        let path = TestPaths.temporaryDirectory().appendingPathComponent("a/b/report.xml").path
        try ReportFile.write(Data("<x/>".utf8), to: path)
        #expect(FileManager.default.contents(atPath: path) == Data("<x/>".utf8))
        let leftovers = try FileManager.default.contentsOfDirectory(
            atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path)
        #expect(leftovers == ["report.xml"])
    }

    @Test func refusesAPathUnderAFile() {
        #expect(throws: ReportFileError.self) { try ReportFile.prepareDirectory(for: "/dev/null/report.xml") }
    }
}
