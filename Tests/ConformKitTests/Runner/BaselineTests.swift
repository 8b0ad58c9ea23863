import Foundation
import Testing

@testable import ConformKit

/// `--write-baseline` records today's failures; `--baseline` reports them as known deviations in every
/// output, fails on anything new, and says when a known deviation is fixed.
@Suite(.temporaryDirectories) struct BaselineTests {
    private static let suite = TestPaths.fixtureSuite("pitchpoint-refresh-only.json")

    @Test func shapesLeaveValuesOut() {
        #expect(
            Baseline.shape(#"expires_in: expected a JSON number, got string "3600" (in 2 of 3 samples)"#)
                == #"expires_in: expected a JSON number, got string "…" (in N of N samples)"#)
        #expect(Baseline.shape("budget 2000 ms, measured 2503.21 ms") == "budget N ms, measured N ms")
        #expect(Baseline.shape(#"a "quoted \"inner\" value" and "second""#) == #"a "…" and "…""#)
        // Section numbers name the rule: a baseline entry for §5.2 must not also match §5.1.
        #expect(
            Baseline.shape(#"error: expected "invalid_request", got string "x" (RFC 6749 §5.2)"#)
                == #"error: expected "…", got string "…" (RFC 6749 §5.2)"#)
        #expect(
            Baseline.shape("status: expected 400, got 200 (RFC 9700 §4.14.2; took 12.5 ms)")
                == "status: expected 400, got 200 (RFC 9700 §4.14.2; took N ms)")
    }

    /// Measured figures and sample counts change from run to run, integer or not; status codes, section
    /// numbers and other literal integers are the suite's words and stay.
    @Test func shapesLeaveFiguresAndSampleCountsOut() {
        #expect(Baseline.shape("budget 1 ms, measured 12 ms") == "budget N ms, measured N ms")
        #expect(Baseline.shape("budget 1 ms, measured 12.3 ms") == "budget N ms, measured N ms")
        #expect(Baseline.shape("3 of 20 samples failed (body 3)") == "N of N samples failed (body N)")
        #expect(
            Baseline.shape("3 of 20 samples failed (body 2, latency 3)")
                == "N of N samples failed (body N, latency N)")
        #expect(
            Baseline.shape("2 of 5 samples had transport errors (timeout 2)")
                == "N of N samples had transport errors (timeout N)")
        #expect(
            Baseline.shape("latency p95: objective 100 ms, measured 120.5 ms over 20 samples")
                == "latency p95: objective N ms, measured N ms over N samples")
        #expect(
            Baseline.shape("latency p50: objective 100 ms, measured 120 ms over 1 sample")
                == "latency p50: objective N ms, measured N ms over N sample")
        #expect(Baseline.shape("took 2 s") == "took N s")
        #expect(Baseline.shape("status: expected 200, got 500") == "status: expected 200, got 500")
        #expect(
            Baseline.shape("status: expected 400, got 200 (RFC 9700 §4.14.2)")
                == "status: expected 400, got 200 (RFC 9700 §4.14.2)")
        #expect(
            Baseline.shape("field: expected 3 items, got 2 (sample 4)") == "field: expected 3 items, got 2 (sample 4)")
    }

    /// A suite whose one case always misses its latency budget (the mock waits longer than it).
    private static let slowSuite = """
        {
          "format": 1, "name": "slow", "mock": "pitchpoint",
          "variables": { "refresh_token": { "value": "${env:PITCHPOINT_REFRESH_TOKEN}", "secret": true } },
          "secret_fields": ["access_token", "refresh_token"],
          "cases": [
            {
              "name": "refresh", "repeat_safe": true,
              "request": {
                "method": "POST", "path": "/user-management-services-ws/oauth2/002/refreshIdToken",
                "json": { "refresh_token": "${refresh_token}" }
              },
              "expect": { "status": 200, "latency_budget_ms": 1 }
            }
          ]
        }
        """

    /// A baseline written from a repeated run still knows the failures of a run with other figures: other
    /// latencies, another number of samples.
    @Test func aBaselineFromARepeatedRunMatchesARunWithOtherFigures() async throws {
        let suite = TestPaths.writeSuite(Self.slowSuite)
        let baseline = TestPaths.temporaryDirectory().appendingPathComponent("baseline.json").path
        let recorded = await runConform([suite]) {
            $0.mockDelayMilliseconds = 5
            $0.repeatCount = 3
            $0.writeBaselinePath = baseline
        }
        #expect(recorded.status == .failed)
        let recordedBaseline = try Baseline.load(baseline)
        #expect(recordedBaseline.deviations.map(\.check) == ["samples", "latency.budget"])
        #expect(recordedBaseline.deviations.map(\.case) == ["refresh", "refresh"])
        // The figures are hashed in their shape (`budget N ms, measured N ms`), never written.
        #expect(
            recordedBaseline.deviations.map(\.actualDigest) == [
                recordedBaseline.digest("actual", "N of N samples failed (latency N)"),
                recordedBaseline.digest("actual", "budget N ms, measured N ms"),
            ])
        let known = await runConform([suite]) {
            $0.mockDelayMilliseconds = 8
            $0.repeatCount = 4
            $0.baselinePath = baseline
        }
        #expect(known.status == .passed)
        #expect(known.stdout.contains("  PASS  refresh (200, 4 samples, "))
        #expect(known.stdout.contains("        known deviation [samples]: 4 of 4 samples failed (latency 4)\n"))
        #expect(!known.stdout.contains("no longer deviates"))
    }

    /// A baseline records errors beside failures, each under its kind (`error:no-response`), and knows them
    /// again in the next run: the errored case passes as a known deviation.
    @Test func recordingKeepsErrorsBesideFailures() throws {
        func result(_ name: String, _ outcome: CaseResult.Outcome, _ findings: [Finding] = []) -> CaseResult {
            CaseResult(
                name: name, outcome: outcome, findings: findings,
                transportFailure: outcome == .errored ? .closedWithoutResponse : nil,
                skipReason: outcome == .skipped ? "not run" : nil, request: nil, status: nil, timing: nil,
                diagnostic: "", duration: .zero)
        }
        let cases = [
            result("passes", .passed), result("fails", .failed, [.failure(.status, "expected 200, got 503")]),
            result("errs", .errored), result("skips", .skipped),
        ]
        let suite = SuiteResult(
            suiteName: "s", suiteFile: "s.json", targetDescription: "t", baseURL: "http://127.0.0.1:1",
            startedAt: Date(), duration: .zero, cases: cases, transcript: "")
        let baseline = Baseline.recording([suite])
        #expect(
            baseline.deviations.map { [$0.case, $0.check, $0.expected ?? "-"] } == [
                ["fails", "status", "-"], ["errs", "error", "no-response"],
            ])
        var again = cases[2]
        baseline.apply(to: &again, suite: "s")
        #expect(again.outcome == .passed)
        #expect(again.transportFailure == nil)
        #expect(
            again.findings == [
                Finding(
                    .knownDeviation, check: .transportError("no-response"),
                    "the server closed the connection without sending a response", expected: "no-response")
            ])
    }

    /// Recording again over a baseline keeps its key: the same deviations write the same bytes, so a committed
    /// baseline changes only where the run did. A file that is no baseline gets a key of its own.
    @Test func reRecordingKeepsTheKey() async throws {
        let folder = TestPaths.temporaryDirectory()
        let baseline = folder.appendingPathComponent("baseline.json").path
        try Data("not a baseline".utf8).write(to: URL(fileURLWithPath: baseline))
        var texts: [String] = []
        for _ in 0..<2 {
            let outcome = await runConform([Self.suite]) {
                $0.mockDeviation = "expires-in-string"
                $0.writeBaselinePath = baseline
            }
            #expect(outcome.status == .failed)
            texts.append(try String(contentsOfFile: baseline, encoding: .utf8))
        }
        #expect(texts[0] == texts[1])
        #expect(try Baseline.load(baseline).deviations.count == 1)
    }

    @Test func recordThenReportAsKnownThenFixedThenNew() async throws {
        let folder = TestPaths.temporaryDirectory()
        let baseline = folder.appendingPathComponent("baseline.json").path
        let recorded = await runConform([Self.suite]) {
            $0.mockDeviation = "expires-in-string"
            $0.writeBaselinePath = baseline
        }
        #expect(recorded.status == .failed)
        let written = try Baseline.load(baseline)
        #expect(
            written.deviations.map { [$0.suite, $0.case, $0.check, $0.location ?? "-", $0.expected ?? "-"] } == [
                ["pitchpoint refresh only", "refresh with valid token", "body.model", "expires_in", "a JSON number"]
            ])
        #expect(written.deviations.first?.actualDigest == written.digest("actual", #"string "3600""#))
        let text = try String(contentsOfFile: baseline, encoding: .utf8)
        #expect(!text.contains("3600"))

        let known = await runConform([Self.suite]) {
            $0.mockDeviation = "expires-in-string"
            $0.baselinePath = baseline
            $0.format = .json
        }
        #expect(known.status == .passed)
        #expect(
            known.stderr.contains(
                #"known deviation [body]: pitchpoint.token: expires_in: expected a JSON number, got string "3600""#))
        #expect(known.stderr.contains("1 passed, 0 failed, 0 errors, 0 skipped; 0 warnings; 1 known deviation;"))
        #expect(
            known.reportText.contains(
                #"<property name="refresh with valid token.known_deviation.1" value="body: pitchpoint.token: expires_in: expected a JSON number, got string &quot;3600&quot;"/>"#
            ))
        #expect(JUnitSchemas.problems(known.report) == [])
        #expect(known.stdout.contains(#""severity" : "known_deviation""#))
        #expect(known.stdout.contains(#""known_deviations" : 1"#))

        let fixed = await runConform([Self.suite]) { $0.baselinePath = baseline }
        #expect(fixed.status == .passed)
        #expect(
            fixed.stdout.contains(
                "note [baseline]: no longer deviates: body.model at expires_in (a JSON number)"))

        let new = await runConform([Self.suite]) {
            $0.mockDeviation = "missing-field"
            $0.baselinePath = baseline
        }
        #expect(new.status == .failed)
        #expect(new.stdout.contains("FAIL  refresh with valid token"))
    }

    /// A case that passes because the baseline knows its one failure carries no failure in its diagnostic:
    /// JSON results and HTML show none.
    @Test func aCaseTheBaselinePassesHasNoFailureDiagnostic() async throws {
        let folder = TestPaths.temporaryDirectory()
        let baseline = folder.appendingPathComponent("baseline.json").path
        let html = folder.appendingPathComponent("report.html").path
        _ = await runConform([Self.suite]) {
            $0.mockDeviation = "expires-in-string"
            $0.writeBaselinePath = baseline
        }
        let known = await runConform([Self.suite]) {
            $0.mockDeviation = "expires-in-string"
            $0.baselinePath = baseline
            $0.format = .json
            $0.htmlReportPath = html
        }
        #expect(known.status == .passed)
        let results = try JSONDecoder.snakeCase.decode(JSONResults.self, from: Data(known.stdout.utf8))
        let result = try #require(results.suites.first?.cases.first)
        #expect(result.outcome == "passed")
        #expect(result.diagnostic == nil)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(!page.contains("failure [body]"))
        #expect(page.contains("known deviation"))
    }

    /// Two failures, one of them known: the case fails on the new one, and its diagnostic (the JUnit
    /// `<failure>` text, the JSON results) shows the known one as a known deviation.
    @Test func aNewFailureBesideAKnownOneShowsTheKnownOneAsKnown() async throws {
        let suite = TestPaths.writeSuite(
            """
            {
              "format": 1, "name": "two failures", "mock": "pitchpoint",
              "variables": { "refresh_token": { "value": "${env:PITCHPOINT_REFRESH_TOKEN}", "secret": true } },
              "secret_fields": ["access_token", "refresh_token"],
              "cases": [
                {
                  "name": "refresh",
                  "request": {
                    "method": "POST", "path": "/user-management-services-ws/oauth2/002/refreshIdToken",
                    "json": { "refresh_token": "${refresh_token}" }
                  },
                  "expect": {
                    "status": 200, "body": { "model": "pitchpoint.token" },
                    "fields": { "token_type": [{ "equals": "mac" }] }
                  }
                }
              ]
            }
            """)
        let baseline = TestPaths.writeSuite(
            #"""
            {"format": "conform-baseline", "version": 1, "deviations": [
              {"suite": "two failures", "case": "refresh", "check": "body",
               "message": "pitchpoint.token: expires_in: expected a JSON number, got string \"…\""}]}
            """#, name: "baseline.json")
        let outcome = await runConform([suite]) {
            $0.mockDeviation = "expires-in-string"
            $0.baselinePath = baseline
            $0.format = .json
        }
        #expect(outcome.status == .failed, "\(outcome.stderr)")
        let document = try JUnitReader.read(outcome.report, file: outcome.reportPath)
        let failure = try #require(document.suites.first?.testCases.first?.result)
        let results = try JSONDecoder.snakeCase.decode(JSONResults.self, from: Data(outcome.stdout.utf8))
        let diagnostic = try #require(results.suites.first?.cases.first?.diagnostic)
        #expect(failure.text == diagnostic)
        #expect(
            normalized(diagnostic) == #"""
                known deviation [body]: pitchpoint.token: expires_in: expected a JSON number, got string "3600"
                failure [field]: token_type: expected "mac", got string "Bearer"
                request: POST http://127.0.0.1:PORT/user-management-services-ws/oauth2/002/refreshIdToken
                response: 200 OK, application/json; charset=utf-8, 826 bytes, N ms
                body: {"access_token":"***… (826 bytes in all)
                """#)
    }

    @Test func aBaselineThatIsNotOneExitsTwo() async throws {
        let path = TestPaths.writeSuite(#"{"format": "something else"}"#, name: "baseline.json")
        let outcome = await runConform([Self.suite]) { $0.baselinePath = path }
        #expect(outcome.status == .invalid)
        #expect(
            outcome.stderr
                == "conform: error: --baseline \(path): not a conform baseline (written by --write-baseline)\n")
    }
}
