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
                == #"expires_in: expected a JSON number, got string "…" (in 2 of 3 samples)"#)
        #expect(Baseline.shape("budget 2000 ms, measured 2503.21 ms") == "budget 2000 ms, measured N ms")
        #expect(Baseline.shape(#"a "quoted \"inner\" value" and "second""#) == #"a "…" and "…""#)
        // Section numbers name the rule: a baseline entry for §5.2 must not also match §5.1.
        #expect(
            Baseline.shape(#"error: expected "invalid_request", got string "x" (RFC 6749 §5.2)"#)
                == #"error: expected "…", got string "…" (RFC 6749 §5.2)"#)
        #expect(
            Baseline.shape("status: expected 400, got 200 (RFC 9700 §4.14.2; took 12.5 ms)")
                == "status: expected 400, got 200 (RFC 9700 §4.14.2; took N ms)")
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
            written.deviations == [
                .init(
                    suite: "pitchpoint refresh only", case: "refresh with valid token", check: "body",
                    message: #"pitchpoint.token: expires_in: expected a JSON number, got string "…""#)
            ])
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
                #"note [baseline]: no longer deviates: body: pitchpoint.token: expires_in: expected a JSON number, got string "…""#))

        let new = await runConform([Self.suite]) {
            $0.mockDeviation = "missing-field"
            $0.baselinePath = baseline
        }
        #expect(new.status == .failed)
        #expect(new.stdout.contains("FAIL  refresh with valid token"))
    }

    @Test func aBaselineThatIsNotOneExitsTwo() async throws {
        let path = TestPaths.writeSuite(#"{"format": "something else"}"#, name: "baseline.json")
        let outcome = await runConform([Self.suite]) { $0.baselinePath = path }
        #expect(outcome.status == .invalid)
        #expect(outcome.stderr == "conform: error: --baseline \(path): not a conform baseline (written by --write-baseline)\n")
    }
}
