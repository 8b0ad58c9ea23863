import Foundation
import Testing

@testable import ConformHTTP
@testable import ConformKit

@Suite struct CommonCauseTests {
    static func result(_ cases: [CaseResult]) -> SuiteResult {
        SuiteResult(
            suiteName: "acme", suiteFile: "acme.json", targetDescription: "target http://127.0.0.1:9",
            baseURL: "http://127.0.0.1:9", startedAt: Date(timeIntervalSince1970: 1_795_000_000), duration: .zero,
            cases: cases, transcript: "")
    }

    static func errored(_ name: String, _ failure: TransportFailure) -> CaseResult {
        CaseResult(
            name: name, outcome: .errored, findings: [], transportFailure: failure,
            diagnostic: CaseDiagnostic([.error(kind: failure.kind, message: "\(failure)")]), duration: .zero)
    }

    static func failed(_ name: String, _ findings: [Finding], contentType: String? = "application/json") -> CaseResult {
        CaseResult(
            name: name, outcome: .failed, findings: findings, status: 500, contentType: contentType,
            diagnostic: CaseDiagnostic(findings.map { .finding($0) }), duration: .zero)
    }

    static func passed(_ name: String) -> CaseResult {
        CaseResult(name: name, outcome: .passed, findings: [], status: 200, diagnostic: "", duration: .zero)
    }

    static func skipped(_ name: String) -> CaseResult {
        CaseResult(name: name, outcome: .skipped, findings: [], skipReason: "unset", diagnostic: "", duration: .zero)
    }

    @Test func anEndpointThatIsDownIsOneCause() {
        let refused = TransportFailure.connectionRefused(target: "127.0.0.1:9")
        let cases = (1...8).map { Self.errored("case \($0)", refused) } + [Self.passed("a"), Self.passed("b")]
        #expect(
            CommonCause.find(in: Self.result(cases))?.description
                == "8 of 10 cases failed for one cause: connection refused by 127.0.0.1:9")
    }

    @Test func htmlPagesAreOneCauseWhateverCheckFailed() {
        let html = "text/html; charset=utf-8"
        let cases = [
            Self.failed("a", [.failure(.status, "expected 200, got 500 (a server error)")], contentType: html),
            Self.failed("b", [.failure(.contentType, "expected application/json, got \(html)")], contentType: html),
            Self.failed("c", [.failure(.status, "expected 4xx, got 500 (a server error)")], contentType: html),
            Self.passed("d"),
        ]
        #expect(
            CommonCause.find(in: Self.result(cases))?.description
                == "3 of 4 cases failed for one cause: every response was an HTML page (text/html; charset=utf-8)")
    }

    /// The same check with the same message shape: quoted values may differ.
    @Test func theSameFailureShapeIsOneCause() {
        let cases = [
            Self.failed("a", [.failure(.fieldEquals, #"token_type: expected "Bearer", got string "mac""#)]),
            Self.failed("b", [.failure(.fieldEquals, #"token_type: expected "Bearer", got string "MAC""#)]),
            Self.failed("c", [.failure(.fieldEquals, #"token_type: expected "Bearer", got string "Mac""#)]),
            Self.passed("d"), Self.skipped("e"),
        ]
        #expect(
            CommonCause.find(in: Self.result(cases))?.description
                == #"3 of 5 cases failed for one cause: field: token_type: expected "Bearer", got string "mac""#)
    }

    /// Skipped cases were not sent: two of two sent cases failing alike is one cause.
    @Test func onlySentCasesCount() {
        let timeout = TransportFailure.timedOut(seconds: 10)
        let cases = [Self.errored("a", timeout), Self.errored("b", timeout)] + (1...3).map { Self.skipped("s\($0)") }
        #expect(CommonCause.find(in: Self.result(cases))?.count == 2)
        #expect(
            CommonCause.find(in: Self.result(cases))?.description
                == "2 of 5 cases failed for one cause: no complete response within the 10 s timeout")
    }

    @Test func aMinorityOrDifferentReasonsAreNoCommonCause() {
        let refused = TransportFailure.connectionRefused(target: "127.0.0.1:9")
        let minority = [Self.errored("a", refused), Self.errored("b", refused)] + (1...3).map { Self.passed("p\($0)") }
        #expect(CommonCause.find(in: Self.result(minority)) == nil)
        let one = [Self.errored("a", refused)]
        #expect(CommonCause.find(in: Self.result(one)) == nil)
        let different = [
            Self.failed("a", [.failure(.status, "expected 200, got 500 (a server error)")]),
            Self.failed("b", [.failure(.bodySchema, "pitchpoint.token: scope: expected a string, got nothing")]),
            Self.errored("c", refused),
        ]
        #expect(CommonCause.find(in: Self.result(different)) == nil)
    }

    /// The report says it once, first in the suite, and stays well-formed.
    @Test func theHTMLReportSaysItOnceAtTheTopOfTheSuite() throws {
        let refused = TransportFailure.connectionRefused(target: "127.0.0.1:9")
        let cases = (1...8).map { Self.errored("case \($0)", refused) } + [Self.passed("a"), Self.passed("b")]
        let page = String(decoding: try HTMLReportWriter.document(for: [Self.result(cases)]), as: UTF8.self)
        let paragraph =
            "<p class=\"common-cause\">8 of 10 cases failed for one cause: connection refused by 127.0.0.1:9</p>"
        #expect(page.components(separatedBy: paragraph).count == 2)
        #expect(page.contains("<h2>acme</h2>\n      \(paragraph)"))
        #expect(HTMLPages.problem(page) == nil)
        let healthy = String(
            decoding: try HTMLReportWriter.document(for: [Self.result([Self.passed("a")])]), as: UTF8.self)
        #expect(!healthy.contains("common-cause\">"))
    }
}
