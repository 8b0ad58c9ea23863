import Foundation
import Testing

@testable import ConformKit

@Suite(.temporaryDirectories) struct ConcurEndToEndTests {
    @Test func passesOnTheEmbeddedMock() async {
        let outcome = await runConform([TestPaths.suite("concur.json")])
        #expect(outcome.status == .passed)
        #expect(outcome.stdout.contains("concur: 6 cases: 6 passed, 0 failed, 0 errors, 0 skipped; 0 warnings;"))
        #expect(outcome.stdout.contains("note [warn]: the endpoint honours Accept: application/json"))
        #expect(JUnitSchemas.problems(outcome.report) == [])
        assertSnapshot(normalized(outcome.stdout), named: "concur-pass-console")
    }

    @Test(arguments: [
        (
            "instance-url-casing",
            "failure [xml-schema]: line 5: element 'Instance_URL': This element is not expected. Wrong casing: the documented name is 'Instance_Url', got 'Instance_URL'."
        ),
        (
            "expiration-date-casing",
            "failure [xml-schema]: line 4: element 'Expiration_Date': This element is not expected. Expected is one of ( Instance_Url, Expiration_date, Refresh_Token ). Wrong casing: the documented name is 'Expiration_date', got 'Expiration_Date'."
        ),
        (
            "wrong-root",
            "failure [xml-schema]: line 2: element 'AccessToken': No matching global declaration available for the validation root."
        ),
        (
            "missing-token",
            "failure [xml-schema]: line 2: element 'Access_Token': Missing child element(s). Expected is one of ( Token, Refresh_Token )."
        ),
        (
            "unparseable-date",
            "failure [xml-schema]: line 4: element 'Expiration_date': [facet 'pattern'] The value '2027-06-01T08:00:00Z' is not accepted by the pattern"
        ),
        (
            "expired-date",
            #"failure [field]: Expiration_date (line 4): expected a date like "M/d/yyyy h:mm:ss a" (UTC) in the future, got "3/30/2013 2:19:10 PM", which is in the past (2013-03-30T14:19:10Z)"#
        ),
        (
            "json-instead-of-xml",
            #"failure [xml-schema]: expected an XML document, got JSON (application/json): "{\"Access_Token\":"#
        ),
        (
            "error-with-200",
            #"failure [xml-schema]: the response is an <Error> document (status 200), not the success document: Message: "Invalid token payload.""#
        ),
        ("external-entity", "failure [xml-schema]: document type declarations are not accepted"),
        ("entity-bomb", "failure [xml-schema]: document type declarations are not accepted"),
        ("huge-body", "error [body-too-large]: the response body exceeds the 1 MiB limit (--max-body)"),
        (
            "invalid-utf8",
            "error [unreadable-body]: the response body is not valid UTF-8 (first invalid byte at offset 93)"
        ),
        (
            "truncated-document",
            "failure [xml-schema]: not well-formed XML: line 4: Premature end of data in tag Expiration_date line 4"
        ),
        ("truncated-body", "error [truncated-body]: the connection closed after"),
        ("close-without-response", "error [no-response]: the server closed the connection without sending a response"),
        // One cause: the status; the body's checks are one note.
        (
            "html-500",
            #"note [checks]: 2 checks of the body not judged: the status check failed, and the body is not the document expected (expected an XML document, got an HTML page (text/html): "#
        ),
    ])
    func eachDeviationFailsNamingTheElement(deviation: String, finding: String) async {
        let outcome = await runConform([TestPaths.suite("concur.json")]) { $0.mockDeviation = deviation }
        #expect(outcome.status == .failed)
        #expect(outcome.stdout.contains(finding))
        // The run goes on: the negative cases after the first still ran and passed (html-500 breaks them all).
        if deviation != "html-500" && deviation != "close-without-response" {
            #expect(outcome.stdout.contains("  PASS  wrong client secret is refused (401, "))
        }
        #expect(JUnitSchemas.problems(outcome.report) == [])
    }

    /// The cuts do not move with the clock: the same findings, to the byte, at 01:01 and at 23:30 UTC, whose
    /// dates a year on have the narrowest and the widest width.
    @Test(arguments: [
        (
            "truncated-document",
            "failure [xml-schema]: not well-formed XML: line 4: Premature end of data in tag Expiration_date line 4"
        ),
        (
            "truncated-body",
            "error [truncated-body]: the connection closed after 121 of 242 body bytes (truncated response)"
        ),
    ])
    func aDeviationCutsInTheSamePlaceWhateverTheClock(deviation: String, finding: String) async throws {
        for now in [MockDeterminismTests.early, MockDeterminismTests.late] {
            let (outcome, _) = try await StartedMock.live(
                "concur", deviation: deviation, now: now, [TestPaths.suite("concur.json")])
            #expect(outcome.status == .failed)
            #expect(outcome.stdout.contains("        \(finding)\n"), "\(outcome.stdout)")
        }
    }

    @Test func externalEntityContentsAppearNowhere() async throws {
        let passwd = try String(contentsOfFile: "/etc/passwd", encoding: .utf8)
        let firstLine = try #require(passwd.split(separator: "\n").first.map(String.init))
        let outcome = await runConform([TestPaths.suite("concur.json")]) { $0.mockDeviation = "external-entity" }
        #expect(!outcome.everything.contains(firstLine))
    }
}
