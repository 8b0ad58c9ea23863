import Foundation
import Testing

@testable import ConformKit

/// The diagnostic is data: typed lines, rendered as the console and JUnit show them, relabelled by finding.
@Suite struct CaseDiagnosticTests {
    static let failure = Finding.failure(
        .status, "expected 200, got 500 (a server error)", expected: "200", actual: "500")

    static let diagnostic = CaseDiagnostic([
        .error(kind: "timeout", message: "no complete response within the 5 s timeout"), .finding(failure),
        .request("POST http://127.0.0.1:1/token"),
        .response(
            .init(
                status: 500, reason: "Internal Server Error", contentType: "text/html", bytes: 126, milliseconds: 1.25)),
        .location("https://example.test/next"), .body("<!DOCTYPE html>"), .text("first status failure, sample 2 of 5:"),
    ])

    @Test func rendersTheLinesTheConsoleAndJUnitShow() {
        #expect(
            Self.diagnostic.text == """
                error [timeout]: no complete response within the 5 s timeout
                failure [status]: expected 200, got 500 (a server error)
                request: POST http://127.0.0.1:1/token
                response: 500 Internal Server Error, text/html, 126 bytes, 1.3 ms
                location: https://example.test/next
                body: <!DOCTYPE html>
                first status failure, sample 2 of 5:
                """)
        #expect(CaseDiagnostic(text: "").isEmpty)
        #expect(CaseDiagnostic(text: "a\nb").lines == [.text("a"), .text("b")])
    }

    /// A baseline relabels the line of a known failure by the finding itself, and the error line by its kind.
    @Test func relabelsKnownFailuresAndTheKnownError() {
        var deviation = Self.failure
        deviation.severity = .knownDeviation
        let errorDeviation = Finding(
            .knownDeviation, check: .transportError("timeout"), "no complete response", expected: "timeout")
        let relabelled = Self.diagnostic.relabelled([Self.failure], error: ("timeout", errorDeviation))
        #expect(relabelled.lines[0] == .finding(errorDeviation))
        #expect(relabelled.lines[1] == .finding(deviation))
        #expect(relabelled.lines[2...] == Self.diagnostic.lines[2...])
        #expect(
            relabelled.text.hasPrefix(
                "known deviation [error:timeout]: no complete response\nknown deviation [status]: expected 200"))
        // Another failure of the same check is not the known one.
        var other = Self.failure
        other.message = "expected 200, got 503 (a server error)"
        #expect(Self.diagnostic.relabelled([other], error: nil) == Self.diagnostic)
    }
}
