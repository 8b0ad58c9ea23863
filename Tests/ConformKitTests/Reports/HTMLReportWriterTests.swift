import Foundation
import Testing

@testable import ConformHTTP
@testable import ConformKit
@testable import ConformSupport
@testable import ConformXML

@Suite struct HTMLReportWriterTests {
    private static let secret = "AMf-html-secret-7Q2"
    private static let failureMessage = "expires_in: expected a JSON number, got string \"3600\""
    private static let generatedAt = Date(timeIntervalSince1970: 1_795_000_000)

    /// 50 distinct latencies from 2.0 to 6.9 ms in a shuffled order.
    private static let repeatedSamples = (0..<50).map { 2.0 + Double(($0 * 37) % 50) / 10 }

    private static func timing(_ milliseconds: Double) -> ExchangeTiming {
        ExchangeTiming(
            connection: .new, queue: .microseconds(100), dns: .zero, connect: .microseconds(400),
            send: .microseconds(100), wait: .microseconds(1500), download: .microseconds(100),
            total: .microseconds(Int64(milliseconds * 1000) + 100))
    }

    private static func caseResult(
        _ name: String, _ outcome: CaseResult.Outcome, findings: [Finding] = [], failure: TransportFailure? = nil,
        skip: String? = nil, diagnostic: String = "", timing: ExchangeTiming? = nil
    ) -> CaseResult {
        var result = CaseResult(
            name: name, outcome: outcome, findings: findings, transportFailure: failure, skipReason: skip,
            request: outcome == .skipped ? nil : "POST http://127.0.0.1:1/oauth2/token?refresh_token=\(secret)",
            status: outcome == .errored || outcome == .skipped ? nil : 200, timing: timing, diagnostic: CaseDiagnostic(text: diagnostic),
            duration: .milliseconds(12.3456))
        result.phaseMetrics = timing?.metrics ?? []
        return result
    }

    private static var repeatedCase: CaseResult {
        var result = caseResult("refresh under load", .passed)
        result.samples = 50
        result.statusCounts = [.init(status: 200, count: 50)]
        result.connectionCounts = .init(new: 1, reused: 49)
        result.latencySamples = repeatedSamples
        result.latency = LatencySummary(
            samples: 50, values: [.min: 2, .p50: 4.4, .p90: 6.4, .p95: 6.6, .p99: 6.9, .max: 6.9, .mean: 4.45])
        result.phaseMetrics = [("send_ms", 0.1), ("server_ms", 3.9), ("ttfb_ms", 4.2), ("latency_ms", 4.4)]
        result.properties = [("mock_rotation", "token \(secret) rotated")]
        return result
    }

    static var suiteResult: SuiteResult {
        SuiteResult(
            suiteName: "pitchpoint", suiteFile: "suites/pitchpoint.json", targetDescription: "embedded mock pitchpoint",
            baseURL: "http://127.0.0.1:1", startedAt: generatedAt, duration: .milliseconds(845.6789),
            cases: [
                caseResult(
                    "refresh with valid token", .passed,
                    findings: [
                        .warning(.headerToken, "Cache-Control: expected \"no-store\""), .note(.capture, "rotated"),
                    ],
                    timing: timing(3.1)),
                caseResult(
                    "expires_in is a number", .failed,
                    findings: [
                        .failure(.bodySchema, failureMessage), .warning(.fieldEquals, "token \(secret) echoed"),
                    ],
                    diagnostic: "failure [body]: <script>alert(1)</script> & \"quoted\"\u{0} token=\(secret)",
                    timing: timing(2.4)),
                caseResult(
                    "server hangs up", .errored, failure: .closedWithoutResponse,
                    diagnostic: "error [no-response]: the server closed the connection without sending a response"),
                caseResult("needs credentials", .skipped, skip: "variable 'password' is set to \(secret) elsewhere"),
                repeatedCase,
            ],
            transcript: "  PASS  refresh with valid token (200, 3.1 ms)\n")
    }

    private static func page(_ results: [SuiteResult] = [suiteResult]) throws -> String {
        let data = try HTMLReportWriter.document(for: results, generatedAt: generatedAt)
        let boundary = OutputBoundary(
            secrets: SecretStore([secret]), output: BufferedOutput(), errors: BufferedOutput())
        return boundary.masked(String(decoding: data, as: UTF8.self), as: .xml)
    }

    /// The page without its first line (`<!DOCTYPE html>`), which XMLDocumentReader refuses.
    private static func withoutDoctype(_ page: String) -> Data {
        Data(
            page.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).last.map(String.init)?.utf8
                ?? "".utf8)
    }

    private static func occurrences(of needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    /// The markup of the `<section>` with this id, up to its end; an issue when the page has none.
    private static func section(
        _ id: String, in page: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> String {
        guard let start = page.range(of: "id=\"\(id)\"") else {
            Issue.record("no section \(id) in the page", sourceLocation: sourceLocation)
            return ""
        }
        let rest = page[start.upperBound...]
        let end = rest.range(of: "</section>")?.lowerBound ?? rest.endIndex
        return String(rest[..<end])
    }

    @Test func startsWithTheHTMLDoctype() throws {
        let page = try Self.page()
        #expect(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(page.contains("<meta charset=\"utf-8\"/>"))
        #expect(page.contains("<title>conform report: pitchpoint</title>"))
    }

    @Test func isWellFormedXMLWithAnHTMLRoot() throws {
        let summary = try XMLDocumentReader.read(Self.withoutDoctype(try Self.page())).get()
        #expect(summary.rootName == "html")
        #expect(summary.children.map(\.name) == ["head", "body"])
    }

    @Test func escapesHostileTextAndWritesNoScript() throws {
        let page = try Self.page()
        #expect(page.contains("failure [body]: &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;\u{FFFD}"))
        #expect(!page.lowercased().contains("<script"))
        #expect(!page.contains("\u{0}"))
    }

    @Test func referencesNothingOutsideThePage() throws {
        let page = try Self.page()
        #expect(!page.contains("src="))
        for tag in ["<link", "<img", "<iframe", "<object", "<embed", "<base", "@import", "url("] {
            #expect(!page.contains(tag), "found \(tag)")
        }
        // Every attribute value: links are #fragments, and the only URI is the SVG namespace.
        let attribute = /[\s]([A-Za-z:-]+)="([^"]*)"/
        var hrefs = 0
        for match in page.matches(of: attribute) {
            let (name, value) = (String(match.output.1), String(match.output.2))
            if name == "href" {
                hrefs += 1
                #expect(value.hasPrefix("#"), "href=\(value)")
            } else if name == "xmlns" {
                #expect(value == "http://www.w3.org/2000/svg")
            } else {
                #expect(!value.contains("://"), "\(name)=\(value)")
            }
        }
        // Five case links, five "back to top" links, and the two warnings listed under the case table.
        #expect(hrefs == 12)
        #expect(Self.occurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", in: page) == 1)
    }

    @Test func masksRegisteredSecrets() throws {
        let page = try Self.page()
        #expect(!page.contains(Self.secret))
        #expect(page.contains("POST http://127.0.0.1:1/oauth2/token?refresh_token=***"))
        #expect(page.contains("token=***</pre>"))
        #expect(page.contains("Skipped: variable 'password' is set to *** elsewhere"))
        #expect(page.contains("token *** rotated"))
        #expect(page.contains("token *** echoed"))
    }

    @Test func showsCaseNamesOutcomesAndTheExactFailureMessage() throws {
        let page = try Self.page()
        for (index, name) in Self.suiteResult.cases.map(\.name).enumerated() {
            #expect(page.contains("<a href=\"#case-0-\(index)\">\(name)</a>"))
            #expect(page.contains("<span class=\"name\">\(name)</span>"))
            #expect(page.contains("id=\"case-0-\(index)\""))
        }
        #expect(
            page.contains(
                "<span class=\"message\">expires_in: expected a JSON number, got string &quot;3600&quot;</span>"))
        #expect(page.contains("<span class=\"check\">body</span>"))
        #expect(page.contains("Error (no-response): the server closed the connection without sending a response"))
        #expect(page.contains("<span class=\"badge failed\">FAIL</span>"))
        #expect(page.contains("<td class=\"num\">p50 4.4, p95 6.6</td>"))
        #expect(page.contains("<td>200 ×50</td>"))
    }

    @Test func writesVersionGenerationTimeAndTotals() throws {
        let page = try Self.page()
        #expect(page.contains("conform \(ConformDefaults.version), generated 2026-11-18T11:06:40 UTC"))
        let header = String(page[..<(page.range(of: "</header>")?.lowerBound ?? page.endIndex)])
        for (count, label) in [
            (5, "cases"), (2, "passed"), (1, "failed"), (1, "errors"), (1, "skipped"), (2, "warnings"),
        ] {
            let counter = try Regex("<span class=\"count\">\(count)</span>\\s*<span class=\"label\">\(label)</span>")
            #expect(header.contains(counter), "\(count) \(label)")
        }
        #expect(header.contains("<span class=\"count\">0.85</span>"))
    }

    @Test func keepsTheStyleSheetFreeOfEscapedCharacters() throws {
        for character in ["<", ">", "&", "\""] {
            #expect(!HTMLReportWriter.stylesheet.contains(character), "\(character)")
        }
        #expect(try Self.page().contains("<style>\(HTMLReportWriter.stylesheet)</style>"))
    }

    /// Only a case sent more than once has a chart: one sample is a number, in the table and the phases.
    @Test func drawsAChartOnlyForACaseSentMoreThanOnce() throws {
        let page = try Self.page()
        #expect(Self.occurrences(of: "<svg ", in: page) == 1)
        let repeated = Self.section("case-0-4", in: page)
        #expect(Self.occurrences(of: "<svg ", in: repeated) == 1)
        #expect(repeated.contains("role=\"img\""))
        #expect(
            repeated.contains("<title id=\"case-0-4-chart-title\">Latency histogram of refresh under load: 50 samples"))
        for id in ["case-0-0", "case-0-1", "case-0-2", "case-0-3"] {
            let section = Self.section(id, in: page)
            #expect(!section.contains("<svg") && !section.contains("Latency distribution"), "\(id)")
        }
        // A single sample still shows its latency in the table.
        #expect(page.contains("<td class=\"num\">3.1</td>"))
        #expect(!page.lowercased().contains("nan") && !page.contains("inf\""))
    }

    /// Passed and skipped cases are one line until opened; failed and errored cases are open.
    @Test func collapsesCasesThatNeedNoAttention() throws {
        let page = try Self.page()
        for (id, open) in [
            ("case-0-0", false), ("case-0-1", true), ("case-0-2", true), ("case-0-3", false), ("case-0-4", false),
        ] {
            let section = Self.section(id, in: page)
            let start = try #require(section.firstMatch(of: /<details[^>]*>/)).output
            #expect(start == (open ? "<details open=\"open\">" : "<details>"), "\(id)")
            #expect(section.contains("<summary>\n"), "\(id)")
        }
        #expect(Self.occurrences(of: "<details", in: page) == 6)  // five cases and the console output
        #expect(HTMLPages.problem(page) == nil)
    }

    @Test func drawsOneBarPerHistogramBin() throws {
        #expect(HTMLReportWriter.histogramBinCount(sampleCount: 50) == 20)
        #expect(HTMLReportWriter.histogramBinCount(sampleCount: 2) == 20)
        #expect(HTMLReportWriter.histogramBinCount(sampleCount: 150) == 30)
        #expect(HTMLReportWriter.histogramBinCount(sampleCount: CaseResult.keptSamples) == 40)
        let bins = try #require(HTMLReportWriter.histogram(of: Self.repeatedSamples))
        #expect(bins.counts.count == 20)
        #expect(bins.counts.reduce(0, +) == 50)
        #expect(bins.lower == 2.0)
        #expect(abs(bins.upper - 6.9) < 1e-9)
        #expect(bins.counts.last == 3)  // 6.9 lands in the last bin with 6.7 and 6.8
        let section = Self.section("case-0-4", in: try Self.page())
        #expect(Self.occurrences(of: "<rect ", in: section) == 20)
        #expect(section.contains("<title>6.66–6.90 ms: 3 samples</title>"))
        #expect(section.contains(">p50 4.40 ms</text>"))
        #expect(section.contains(">p95 6.60 ms</text>"))
    }

    @Test func keepsChartNumbersFiniteForDegenerateSamples() throws {
        #expect(HTMLReportWriter.histogram(of: []) == nil)
        #expect(HTMLReportWriter.histogram(of: [.nan, .infinity]) == nil)
        let flat = try #require(HTMLReportWriter.histogram(of: [3, 3, 3, .nan]))
        #expect(flat.counts.reduce(0, +) == 3)
        #expect(flat.counts.filter { $0 > 0 } == [3])
        #expect(flat.width > 0)
        var result = Self.suiteResult
        result.cases[4].latencySamples = [5, 5, 5, .infinity]
        result.cases[4].latency = nil
        let page = try Self.page([result])
        let section = Self.section("case-0-4", in: page)
        #expect(Self.occurrences(of: "<rect ", in: section) == 20)
        #expect(!section.lowercased().contains("nan") && !section.lowercased().contains("inf"))
        #expect(HTMLReportWriter.coordinate(.nan) == "0.00")
    }

    @Test func writesAPageForNoSuites() throws {
        let page = try Self.page([])
        #expect(page.contains("<title>conform report</title>"))
        #expect(page.contains("No suites were run."))
        #expect(try XMLDocumentReader.read(Self.withoutDoctype(page)).get().rootName == "html")
    }

    /// Writes the sample page to `$CONFORM_HTML_SAMPLE` for a look in a browser (Tests/html/check-in-chromium.sh).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["CONFORM_HTML_SAMPLE"] != nil))
    func writesTheSamplePageWhenAsked() throws {
        let path = try #require(ProcessInfo.processInfo.environment["CONFORM_HTML_SAMPLE"])
        var second = Self.suiteResult
        second.suiteName = "concur"
        second.suiteFile = "suites/concur.json"
        let data = try HTMLReportWriter.document(for: [Self.suiteResult, second], generatedAt: Self.generatedAt)
        try ReportFile.write(data, to: path)
        #expect(FileManager.default.contents(atPath: path) == data)
    }
}
