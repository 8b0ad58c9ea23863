import Foundation
import Testing

@testable import ConformHTTP
@testable import ConformJSON
@testable import ConformJSONSchema
@testable import ConformKit

/// The reports and console details of issue 20: the progress line fits the terminal, counts have the right
/// number, the HTML report shows each finding once, its durations explained, every warning, and the whole
/// masked response; the HAR groups entries by suite and says each one's outcome.
@Suite struct NewcomerReportTests {
    // MARK: Progress line

    @Test(
        arguments: [
            (20, [String: String](), 18), (nil, ["COLUMNS": "30"], 28), (nil, [:], 78), (nil, ["COLUMNS": "3"], 78),
            (4, ["COLUMNS": "50"], 48),
        ] as [(Int?, [String: String], Int)])
    func theProgressLineIsCutToTheTerminalsWidth(_ columns: Int?, _ environment: [String: String], _ kept: Int) {
        let terminal = BufferedOutput(terminal: true, columns: columns)
        let boundary = OutputBoundary(output: terminal, errors: BufferedOutput(), environment: environment)
        let line = String(repeating: "x", count: 200)
        boundary.progress(line, to: .output)
        #expect(terminal.text == "\r\u{1B}[K" + String(repeating: "x", count: kept) + "…")
        let short = BufferedOutput(terminal: true, columns: 20)
        OutputBoundary(output: short, errors: BufferedOutput()).progress("pitchpoint [1/10]", to: .output)
        #expect(short.text == "\r\u{1B}[Kpitchpoint [1/10]")
    }

    @Test func wideCharactersTakeTwoColumns() {
        #expect(TerminalWidth.fitted("日本語のケース名です", columns: 10) == "日本語の…")
        #expect(TerminalWidth.fitted("abcdefghi", columns: 10) == "abcdefghi")
        #expect(TerminalWidth.fitted("abcdefghij", columns: 10) == "abcdefgh…")
    }

    // MARK: Plurals

    @Test func oneOfAThingIsSingular() {
        var errored = CaseResult(name: "a", outcome: .errored, findings: [], diagnostic: "", duration: .zero)
        errored.transportFailure = .closedWithoutResponse
        let result = SuiteResult(
            suiteName: "s", suiteFile: "s.json", targetDescription: "t", baseURL: "http://x", startedAt: Date(),
            duration: .zero, cases: [errored], transcript: "")
        #expect(
            ConsoleReporter.summary(result, reportPath: nil)
                == "s: 1 case: 0 passed, 0 failed, 1 error, 0 skipped; 0 warnings; 0.00 s")
        #expect(Plural.count(2, "error") == "2 errors")
        #expect(Plural.count(0, "case") == "0 cases")
    }

    // MARK: HTML

    static let failure = Finding.failure(.status, "expected 200, got 400")

    static var failedCase: CaseResult {
        var result = CaseResult(
            name: "refresh", outcome: .failed, findings: [failure], request: "POST http://127.0.0.1:1/token",
            status: 400, diagnostic: "", duration: .milliseconds(15))
        let body = Data(
            ("{\"error\":\"invalid_grant\",\"pad\":\"" + String(repeating: "p", count: 70_000) + "\"}").utf8)
        let response = HTTPResponseSnapshot(
            status: 400, reason: "Bad Request",
            headers: [("Content-Type", "application/json"), ("X-Trace", "trace-7")], body: body)
        result.diagnostic = CaseDiagnostic(text:
            "\(failure.message)\n\(failure.description)\nrequest: POST http://127.0.0.1:1/token\nresponse: 400 Bad Request")
        result.response = ResponseShown(response)
        return result
    }

    static var passedWithWarning: CaseResult {
        CaseResult(
            name: "pragma", outcome: .passed,
            findings: [.warning(.headerToken, "Pragma: expected \"no-cache\", absent")],
            status: 200, diagnostic: "", duration: .milliseconds(3))
    }

    static func page() throws -> String {
        let result = SuiteResult(
            suiteName: "oauth2", suiteFile: "oauth2.json", targetDescription: "t", baseURL: "http://127.0.0.1:1",
            startedAt: Date(timeIntervalSince1970: 1_795_000_000), duration: .milliseconds(20),
            cases: [failedCase, passedWithWarning], transcript: "")
        return String(decoding: try HTMLReportWriter.document(for: [result]), as: UTF8.self)
    }

    @Test func theHTMLReportShowsAFindingOnce() throws {
        let page = try Self.page()
        #expect(page.components(separatedBy: "expected 200, got 400").count - 1 == 1)
        #expect(page.contains("request: POST http://127.0.0.1:1/token\nresponse: 400 Bad Request"))
    }

    @Test func theHTMLReportExplainsItsDurationsAndListsEveryWarning() throws {
        let page = try Self.page()
        #expect(page.contains(HTMLReportWriter.durationsExplained))
        #expect(page.contains("<dd>15 ms (the whole case, checks included)</dd>"))
        #expect(page.contains("<h3>Warnings (1)</h3>"))
        #expect(page.contains("<a href=\"#case-0-1\">pragma</a>"))
        #expect(page.contains("<span class=\"message\">Pragma: expected &quot;no-cache&quot;, absent</span>"))
    }

    @Test func theHTMLReportShowsTheResponseHeadersAndBodyBounded() throws {
        let page = try Self.page()
        #expect(!page.contains("<script"))
        #expect(page.contains("<details class=\"response\">"))
        #expect(
            page.contains(
                "<summary>Response: 400 Bad Request, 2 headers, body 70034 bytes, the first 64 KiB shown</summary>"))
        #expect(page.contains("<td>X-Trace</td>"))
        #expect(page.contains("<td>trace-7</td>"))
        let body = try #require(page.range(of: "<pre class=\"body\">{&quot;error&quot;:&quot;invalid_grant&quot;"))
        let end = try #require(page.range(of: "</pre>", range: body.upperBound..<page.endIndex))
        let shown = page[body.lowerBound..<end.lowerBound].dropFirst("<pre class=\"body\">".count)
        let unescaped = shown.replacingOccurrences(of: "&quot;", with: "\"")
        #expect(unescaped.utf8.count == ResponseShown.bodyLimit + "…".utf8.count)
        #expect(shown.hasSuffix("pp…"))
    }

    // MARK: HAR

    @Test func theHARHasAPagePerSuiteAndEachEntrysOutcome() throws {
        let recorder = HARRecorder(spillFolder: FileManager.default.temporaryDirectory.path)
        let request = TransportTest.request(try #require(URL(string: "http://127.0.0.1:1/token")))
        let exchange = Exchange(
            request: request, response: nil, failure: .connectionRefused(target: "127.0.0.1:1"),
            timing: ExchangeTiming(total: .milliseconds(2)))
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        recorder.record(
            exchange, started: start.addingTimeInterval(1), suite: "oauth2", testCase: "refresh",
            outcome: "error (connection-refused): connection refused by 127.0.0.1:1")
        recorder.record(
            exchange, started: start, suite: "pitchpoint", testCase: "sign in", outcome: "passed",
            comparison: "refresh is faster")
        let document = try #require(JSONValue.decode(recorder.document()))
        let schema = try JSONSchema.load(
            contentsOf: TestPaths.fixtures.appendingPathComponent("har/har-1.2.schema.json").path,
            options: .init(formatAssertion: true)
        ).get()
        #expect(schema.validate(document).map(\.description) == [])
        guard case .object(let root) = document, case .object(let log)? = root["log"],
            case .array(let pages)? = log["pages"], case .array(let entries)? = log["entries"]
        else { throw Failure("no pages or entries") }
        #expect(pages.map { $0.member("id") } == [.string("pitchpoint"), .string("oauth2")])
        #expect(entries.map { $0.member("pageref") } == [.string("pitchpoint"), .string("oauth2")])
        #expect(
            entries.map { $0.member("comment") } == [
                .string("sample of case 'sign in' for the comparison 'refresh is faster': passed"),
                .string("case 'refresh': error (connection-refused): connection refused by 127.0.0.1:1"),
            ])
    }
}

extension JSONValue {
    fileprivate func member(_ name: String) -> JSONValue? {
        if case .object(let members) = self { return members[name] }
        return nil
    }
}
