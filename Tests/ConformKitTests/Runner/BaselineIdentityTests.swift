@testable import ConformSupport
import Foundation
import Testing

@testable import ConformKit

/// Baselines keyed by identity: case, check, location and expected value, with the actual value as a keyed
/// hash. Another wrong value is a new failure, a reworded reason is not, and no value reaches the file.
@Suite(.temporaryDirectories) struct BaselineIdentityTests {
    /// `"error": [{"equals": "invalid_request"}]`, as suites/oauth2.json writes it.
    static let errorRule = FieldRuleCheck(
        path: FieldPath("error")!, rule: .equalsTemplate(Template(literal: "invalid_request")),
        resolved: "invalid_request")

    /// The case as the evaluator makes it: the rule's findings, explained by the suite's reason.
    static func result(error: String, reason: String = "RFC 6749 §5.2") -> CaseResult {
        let subject = response(status: 400, body: #"{"error": "\#(error)"}"#)
        let findings = errorRule.evaluate(subject).map { $0.explained(by: reason) }
        return CaseResult(
            name: "missing grant_type is refused", outcome: findings.isEmpty ? .passed : .failed, findings: findings,
            request: nil, status: 400, timing: nil, diagnostic: CaseDiagnostic(findings.map { .finding($0) }),
            duration: .zero)
    }

    static func recorded(_ result: CaseResult) -> Baseline {
        Baseline.recording([
            SuiteResult(
                suiteName: "oauth2", suiteFile: "oauth2.json", targetDescription: "t", baseURL: "http://127.0.0.1:1",
                startedAt: Date(), duration: .zero, cases: [result], transcript: "")
        ])
    }

    @Test func theFindingCarriesItsIdentityAsData() throws {
        let finding = try #require(Self.result(error: "unauthorized_client").findings.first)
        #expect(finding.check == .fieldEquals)
        #expect(finding.location == .field("error"))
        #expect(finding.expected == #""invalid_request""#)
        #expect(finding.actual == #"string "unauthorized_client""#)
        #expect(finding.rule == "RFC 6749 §5.2")
        #expect(finding.rfc == "RFC 6749 §5.2")
        #expect(
            finding.description
                == #"failure [field]: error: expected "invalid_request", got string "unauthorized_client" (RFC 6749 §5.2)"#
        )
    }

    @Test func anotherWrongValueIsANewFailure() throws {
        let baseline = Self.recorded(Self.result(error: "unauthorized_client"))
        var same = Self.result(error: "unauthorized_client")
        baseline.apply(to: &same, suite: "oauth2")
        #expect(same.outcome == .passed)
        #expect(same.findings.map(\.severity) == [.knownDeviation])

        var changed = Self.result(error: "invalid_grant")
        baseline.apply(to: &changed, suite: "oauth2")
        #expect(changed.outcome == .failed)
        #expect(
            changed.findings.map(\.description) == [
                #"failure [field]: error: expected "invalid_request", got string "invalid_grant" (RFC 6749 §5.2)"#,
                #"note [baseline]: field.equals at error ("invalid_request"): another value than the one the baseline knows"#,
            ])
    }

    @Test func aRewordedReasonChangesNothing() {
        let baseline = Self.recorded(Self.result(error: "unauthorized_client"))
        var reworded = Self.result(error: "unauthorized_client", reason: "RFC 6749, section 5.2: the registered codes")
        baseline.apply(to: &reworded, suite: "oauth2")
        #expect(reworded.outcome == .passed)
        #expect(reworded.findings.map(\.severity) == [.knownDeviation])
        #expect(reworded.diagnostic == "")
    }

    @Test func aFixedDeviationIsNotedByItsIdentity() {
        let baseline = Self.recorded(Self.result(error: "unauthorized_client"))
        var fixed = Self.result(error: "invalid_request")
        baseline.apply(to: &fixed, suite: "oauth2")
        #expect(fixed.outcome == .passed)
        #expect(
            fixed.findings.map(\.description) == [
                #"note [baseline]: no longer deviates: field.equals at error ("invalid_request")"#
            ])
    }

    /// Neither the value nor a secret in it reaches the file; the key does, and the file round-trips.
    @Test func noValueIsWrittenToTheFile() throws {
        let secret = "AMf-very-secret-refresh-token"
        let baseline = Self.recorded(Self.result(error: secret))
        let text = String(decoding: baseline.encoded(), as: UTF8.self)
        #expect(!text.contains(secret))
        #expect(!text.contains("AMf"))
        #expect(text.contains(#""version" : 2"#))
        #expect(text.contains(#""key" : "\#(baseline.key)""#))
        let path = TestPaths.temporaryDirectory().appendingPathComponent("baseline.json").path
        try baseline.encoded().write(to: URL(fileURLWithPath: path))
        let read = try Baseline.load(path)
        #expect(read == baseline)
        #expect(read.legacyNote == nil)
    }

    /// Each baseline has its own key: the same deviation hashes differently in two files.
    @Test func keysAreDrawnPerBaseline() {
        let first = Self.recorded(Self.result(error: "unauthorized_client"))
        let second = Self.recorded(Self.result(error: "unauthorized_client"))
        #expect(first.key != second.key)
        #expect(first.key.utf8.count == 64)
        #expect(first.deviations.first?.actualDigest != second.deviations.first?.actualDigest)
    }

    /// A version 1 file is read by shape, with a note; it still knows its deviations.
    @Test func anOldBaselineIsReadByShapeWithANote() async throws {
        let path = TestPaths.writeSuite(
            #"""
            {"format": "conform-baseline", "version": 1, "deviations": [
              {"suite": "oauth2", "case": "missing grant_type is refused", "check": "field",
               "message": "error: expected \"…\", got string \"…\" (RFC 6749 §5.2)"}]}
            """#, name: "baseline.json")
        let baseline = try Baseline.load(path)
        #expect(
            baseline.legacyNote
                == "--baseline \(path): recorded by an older conform (version 1, matched by the wording of messages); re-record with --write-baseline \(path)"
        )
        var known = Self.result(error: "unauthorized_client")
        baseline.apply(to: &known, suite: "oauth2")
        #expect(known.outcome == .passed)
        let outcome = await runConform([TestPaths.fixtureSuite("pitchpoint-refresh-only.json")]) {
            $0.baselinePath = path
        }
        #expect(outcome.status == .passed)
        #expect(outcome.stderr.contains("conform: note: \(baseline.legacyNote ?? "?")\n"))
    }

    @Test func aFileOfAnotherVersionOrWithoutAKeyIsRefused() throws {
        let future = TestPaths.writeSuite(
            #"{"format": "conform-baseline", "version": 3, "deviations": []}"#, name: "future.json")
        #expect(throws: BaselineError.self) { try Baseline.load(future) }
        do {
            _ = try Baseline.load(future)
        } catch {
            #expect(error.reason == "baseline version 3; this conform reads versions 1 and 2")
        }
        let keyless = TestPaths.writeSuite(
            #"{"format": "conform-baseline", "version": 2, "key": "short", "deviations": []}"#, name: "keyless.json")
        do {
            _ = try Baseline.load(keyless)
            Issue.record("a baseline without a 64-digit key was read")
        } catch {
            #expect(error.reason == "not a conform baseline (written by --write-baseline)")
        }
    }

    @Test func theRFCSectionIsReadFromTheReason() {
        #expect(Finding.section(in: "RFC 6749 §5.2; Pitchpoint's docs do not promise it") == "RFC 6749 §5.2")
        #expect(Finding.section(in: "see RFC 9700 §4.14.2.") == "RFC 9700 §4.14.2")
        #expect(Finding.section(in: "RFC 7515") == "RFC 7515")
        #expect(Finding.section(in: "RFC x, RFC") == nil)
        #expect(Finding.section(in: "") == nil)
    }
}
