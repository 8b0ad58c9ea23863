@testable import ConformSupport
import Foundation
import Testing

@testable import ConformKit

/// One cause, one finding: repeats of a schema or model failure, the body checks of an error page, and a
/// note every case would repeat are left out, with exact messages for what is said instead.
@Suite struct FindingDeduplicationTests {
    typealias Ranked = FindingDeduplication.Ranked

    static let schemaFailure = Finding.failure(
        .bodySchema, #"rfc6749.token: expires_in: expected integer, got string "3600""#, location: .field("expires_in"),
        expected: "type")

    static func ranked(_ findings: [Finding]) -> [Ranked] {
        findings.enumerated().map { (rank: $0.offset, finding: $0.element) }
    }

    @Test func aSchemaFailureAtAPathSilencesTheRulesOfThatPath() {
        let subject = response(body: #"{"expires_in": "3600", "scope": ""}"#)
        let rules =
            FieldRuleCheck(path: FieldPath("expires_in")!, rule: .greaterThan(0)).evaluate(subject)
            + FieldRuleCheck(path: FieldPath("expires_in")!, rule: .integer).evaluate(subject)
            + FieldRuleCheck(path: FieldPath("scope")!, rule: .nonEmpty).evaluate(subject)
        #expect(rules.count == 3)
        let kept = FindingDeduplication.deduplicated(
            Self.ranked([Self.schemaFailure] + rules), document: subject.document)
        #expect(
            kept.map(\.finding.description) == [
                #"failure [body]: rfc6749.token: expires_in: expected integer, got string "3600""#,
                #"failure [field]: scope: expected a non-empty string, got string """#,
            ])
    }

    /// A `format` annotation (a schema warning) silences warnings at its path, never failures.
    @Test func aSchemaWarningSilencesOnlyWarnings() {
        var annotation = Self.schemaFailure
        annotation.severity = .warning
        let failure = Finding.failure(
            .fieldRange, "expires_in: expected a number > 0, got string \"3600\"", location: .field("expires_in"))
        var warning = failure
        warning.severity = .warning
        let kept = FindingDeduplication.deduplicated(
            Self.ranked([annotation, failure, warning]), document: .none)
        #expect(kept.map(\.finding) == [annotation, failure])
    }

    /// An HTML 500 for a JSON case: the status says it; the body's checks become one note.
    @Test func anHTMLErrorPageGivesOneCause() {
        let page = "<!DOCTYPE html><html><body><h1>500 Internal Server Error</h1></body></html>"
        let subject = response(status: 500, contentType: "text/html", body: page)
        let checks: [any Check] = [
            StatusCheck(allowed: [.exact(200)]), ContentTypeCheck(expected: ["application/json"]),
            JSONModelCheck(model: PitchpointToken.self),
            FieldRuleCheck(path: FieldPath("expires_in")!, rule: .greaterThan(0)),
        ]
        let findings = checks.flatMap { $0.evaluate(subject) }
        #expect(findings.count == 4)
        let kept = FindingDeduplication.deduplicated(Self.ranked(findings), document: subject.document)
        #expect(
            kept.map(\.finding.description) == [
                "failure [status]: expected 200, got 500 (a server error)",
                "note [checks]: 3 checks of the body not judged: the status check failed, and the body is not the document expected (expected a JSON body, got an HTML page (text/html): \"<!DOCTYPE html><html><body><h1>500 Internal Server Error</h1…\")",
            ])
    }

    /// The same page with the status expected: the body's checks speak.
    @Test func anHTMLPageWithTheStatusExpectedKeepsItsFindings() {
        let subject = response(status: 500, contentType: "text/html", body: "<html></html>")
        let checks: [any Check] = [
            StatusCheck(allowed: [.exact(500)]), ContentTypeCheck(expected: ["application/json"]),
        ]
        let findings = checks.flatMap { $0.evaluate(subject) }
        #expect(FindingDeduplication.deduplicated(Self.ranked(findings), document: subject.document).count == 1)
    }

    static func caseResult(_ name: String, _ findings: [Finding]) -> CaseResult {
        CaseResult(
            name: name, outcome: .passed, findings: findings, request: nil, status: 200, timing: nil, diagnostic: "",
            duration: .zero)
    }

    static func nagle(_ bytes: Int) -> Finding {
        .note(
            .phases,
            "download: \(bytes) bytes of body came over 35 ms after the headers: the server likely writes headers and body separately with Nagle's algorithm on (no TCP_NODELAY), and its second write waits for the client's delayed ACK"
        )
    }

    @Test func aNoteEveryCaseWouldRepeatIsSaidOncePerSuite() {
        var notes = RepeatedNotes()
        var cases = [
            Self.caseResult("a", [Self.nagle(120)]),
            Self.caseResult("b", [Self.nagle(98), .note(.report, "x: same value as y")]),
            Self.caseResult("c", [Self.nagle(120)]), Self.caseResult("d", []),
        ]
        for index in cases.indices { notes.filter(&cases[index]) }
        #expect(cases.map(\.findings.count) == [1, 1, 0, 0])
        let suiteNotes = notes.suiteNotes(moving: &cases)
        #expect(cases.map(\.findings.count) == [0, 1, 0, 0])
        #expect(cases[1].findings.map(\.check) == [.report])
        #expect(
            suiteNotes.map(\.description) == [
                "note [phases]: download: 120 bytes of body came over 35 ms after the headers: the server likely writes headers and body separately with Nagle's algorithm on (no TCP_NODELAY), and its second write waits for the client's delayed ACK (same note for 3 cases: 'a', 'b', 'c')"
            ])
    }

    /// A note of one case only stays on its case; notes of other kinds are never merged.
    @Test func aNoteOfOneCaseStaysOnItsCase() {
        var notes = RepeatedNotes()
        var cases = [
            Self.caseResult("a", [Self.nagle(120), .note(.warnVerdict, "token rotated")]),
            Self.caseResult("b", [.note(.warnVerdict, "token rotated")]),
        ]
        for index in cases.indices { notes.filter(&cases[index]) }
        #expect(notes.suiteNotes(moving: &cases).isEmpty)
        #expect(cases.map(\.findings.count) == [2, 1])
    }
}
