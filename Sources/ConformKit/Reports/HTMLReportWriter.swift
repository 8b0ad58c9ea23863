import ConformSupport
import ConformXML
import Foundation

/// Writes a run's results as one self-contained HTML5 page: no scripts, no network, no external resources.
///
/// The page holds one inline `<style>` and, per case sent more than once, an inline `<svg>` chart
/// (`HTMLReportWriter+Chart.swift`); every link is a `#fragment` inside the page. Cases that passed or
/// were skipped are collapsed (`HTMLReportWriter+Case.swift`), and when most cases of a suite failed for
/// one reason the suite says so first (``CommonCause``). The markup is written
/// with ``XMLWriter``, so libxml2 does all escaping and the page is also well-formed XML. Masking happens
/// where the page leaves conform (``OutputBoundary``).
///
/// ```html
/// <!DOCTYPE html>
/// <html lang="en">
///   <head><meta charset="utf-8"/><title>conform report: pitchpoint</title><style>…</style></head>
///   <body>
///     <header id="top">conform 0.1.0, generated 2026-11-21T10:00:00 UTC; totals …</header>
///     <section class="suite" id="suite-0">
///       <h2>pitchpoint</h2>
///       <p class="common-cause">8 of 10 cases failed for one cause: connection refused by 127.0.0.1:9</p>
///       … <table class="cases">…<a href="#case-0-1">invalid refresh token</a>…</table>
///       <section class="case failed" id="case-0-1"><details open="open">
///         <summary><h3>…</h3></summary> request, findings, <pre class="diagnostic">failure [status]: …</pre>,
///         timing phases, latency statistics, <svg xmlns="http://www.w3.org/2000/svg" role="img">…</svg>
///       </details></section>
///       <section class="case passed" id="case-0-2"><details>…</details></section>
///     </section>
///   </body>
/// </html>
/// ```
///
/// Void HTML elements (`<meta/>`) are the only empty elements written; every other HTML element gets text
/// or children, because an HTML parser reads `<td/>` as an unclosed start tag.
enum HTMLReportWriter {
    static func document(
        for results: [SuiteResult], generatedAt: Date = Date()
    ) throws(XMLWriterError) -> Data {
        let writer = try XMLWriter(indent: true, declaration: false)
        try writer.doctype("html")
        try writer.startElement("html")
        try writer.attribute("lang", "en")
        try writeHead(results, to: writer)
        try writer.startElement("body")
        try writeHeader(results, generatedAt: generatedAt, to: writer)
        if results.isEmpty {
            try writer.element("p", attributes: [("class", "empty")], text: "No suites were run.")
        }
        for (index, result) in results.enumerated() {
            try writeSuite(result, index: index, to: writer)
        }
        try writer.endElement()  // body
        try writer.endElement()  // html
        return try writer.finish()
    }

    // MARK: Page

    /// `conform report: pitchpoint, concur`.
    static func title(of results: [SuiteResult]) -> String {
        guard !results.isEmpty else { return "conform report" }
        return "conform report: " + results.map { $0.suiteName }.joined(separator: ", ")
    }

    private static func writeHead(
        _ results: [SuiteResult], to writer: XMLWriter
    ) throws(XMLWriterError) {
        try writer.startElement("head")
        try writer.element("meta", attributes: [("charset", "utf-8")])
        try writer.element(
            "meta", attributes: [("name", "viewport"), ("content", "width=device-width, initial-scale=1")])
        try writer.element("title", text: title(of: results))
        try writer.element("style", text: stylesheet)
        try writer.endElement()
    }

    private static func writeHeader(
        _ results: [SuiteResult], generatedAt: Date, to writer: XMLWriter
    ) throws(XMLWriterError) {
        try writer.startElement("header")
        try writer.attribute("id", "top")
        let failed = results.contains { !$0.succeeded }
        try writer.element("h1", text: title(of: results))
        try writer.element(
            "p", attributes: [("class", "meta")],
            text: "conform \(ConformDefaults.version), generated \(JUnitWriter.timestamp(generatedAt)) UTC")
        try writer.element(
            "p", attributes: [("class", "verdict " + (failed ? "failed" : "passed"))],
            text: failed ? "Failed: at least one case failed or had an error" : "Passed: no case failed")
        let cases = results.flatMap(\.cases)
        let duration = results.reduce(Duration.zero) { $0 + $1.duration }
        try writeCounts(
            [
                ("suites", results.count, "total"), ("cases", cases.count, "total"),
                ("passed", cases.filter { $0.outcome == .passed }.count, "passed"),
                ("failed", cases.filter { $0.outcome == .failed }.count, "failed"),
                ("errors", cases.filter { $0.outcome == .errored }.count, "errored"),
                ("skipped", cases.filter { $0.outcome == .skipped }.count, "skipped"),
                ("warnings", results.reduce(0) { $0 + $1.warningCount }, "warning"),
            ], duration: duration, to: writer)
        if results.count > 1 {
            try writer.startElement("nav")
            try writer.startElement("ul")
            for (index, result) in results.enumerated() {
                try writer.startElement("li")
                try writer.element(
                    "a", attributes: [("href", "#suite-\(index)")], text: result.suiteName)
                try writer.endElement()
            }
            try writer.endElement()
            try writer.endElement()
        }
        try writer.endElement()
    }

    /// A row of counters: `9 passed`, `1 failed`…, then the duration.
    private static func writeCounts(
        _ counts: [(label: String, count: Int, style: String)], duration: Duration, to writer: XMLWriter
    ) throws(XMLWriterError) {
        try writer.startElement("ul")
        try writer.attribute("class", "counts")
        for (label, count, style) in counts {
            try writer.startElement("li")
            try writer.attribute("class", count > 0 ? style : "total")
            try writer.element("span", attributes: [("class", "count")], text: String(count))
            try writer.element("span", attributes: [("class", "label")], text: label)
            try writer.endElement()
        }
        try writer.startElement("li")
        try writer.attribute("class", "total")
        try writer.element("span", attributes: [("class", "count")], text: seconds(duration))
        try writer.element("span", attributes: [("class", "label")], text: "seconds")
        try writer.endElement()
        try writer.endElement()
    }

    // MARK: Suite

    private static func writeSuite(
        _ result: SuiteResult, index: Int, to writer: XMLWriter
    ) throws(XMLWriterError) {
        try writer.startElement("section")
        try writer.attribute("class", "suite")
        try writer.attribute("id", "suite-\(index)")
        try writer.element("h2", text: result.suiteName)
        if let cause = CommonCause.find(in: result) {
            try writer.element("p", attributes: [("class", "common-cause")], text: cause.description)
        }
        try writeFacts(
            [
                ("File", result.suiteFile), ("Target", result.targetDescription),
                ("Base URL", result.baseURL),
                ("Started", JUnitWriter.timestamp(result.startedAt) + " UTC"),
            ] + (result.tls.map { [("TLS", $0.summary())] } ?? []),
            to: writer)
        try writeFindings(result.suiteWarnings + result.suiteNotes, to: writer)
        try writeCounts(
            [
                ("cases", result.cases.count, "total"), ("passed", result.count(.passed), "passed"),
                ("failed", result.count(.failed), "failed"), ("errors", result.count(.errored), "errored"),
                ("skipped", result.count(.skipped), "skipped"), ("warnings", result.warningCount, "warning"),
            ], duration: result.duration, to: writer)
        try writeCaseTable(result, suiteIndex: index, to: writer)
        try writer.element("p", attributes: [("class", "legend")], text: durationsExplained)
        try writeWarnings(result, suiteIndex: index, to: writer)
        if !result.transcript.isEmpty {
            try writer.startElement("details")
            try writer.element("summary", text: "Console output")
            try writer.element(
                "pre", attributes: [("class", "transcript")], text: preformatted(result.transcript))
            try writer.endElement()
        }
        for (caseIndex, testCase) in result.cases.enumerated() {
            try writeCase(testCase, id: caseAnchor(suite: index, case: caseIndex), to: writer)
        }
        try writer.endElement()
    }

    /// `case-0-3`: the fourth case of the first suite (names may repeat across suites and shards).
    static func caseAnchor(suite: Int, case caseIndex: Int) -> String { "case-\(suite)-\(caseIndex)" }

    private static func writeCaseTable(
        _ result: SuiteResult, suiteIndex: Int, to writer: XMLWriter
    ) throws(XMLWriterError) {
        try writer.startElement("table")
        try writer.attribute("class", "cases")
        try writeHeaderRow(["Outcome", "Case", "Status", "Samples", "Latency (ms)", "Duration (ms)"], to: writer)
        try writer.startElement("tbody")
        for (caseIndex, testCase) in result.cases.enumerated() {
            try writer.startElement("tr")
            try writer.attribute("class", testCase.outcome.rawValue)
            try writer.startElement("td")
            try writeBadge(testCase.outcome, to: writer)
            try writer.endElement()
            try writer.startElement("td")
            let anchor = caseAnchor(suite: suiteIndex, case: caseIndex)
            try writer.element("a", attributes: [("href", "#" + anchor)], text: testCase.name)
            try writer.endElement()
            try writer.element("td", text: statusText(testCase))
            try writer.element("td", attributes: [("class", "num")], text: samplesText(testCase))
            try writer.element("td", attributes: [("class", "num")], text: latencyText(testCase))
            try writer.element(
                "td", attributes: [("class", "num")], text: Milliseconds.text(testCase.duration.milliseconds))
            try writer.endElement()
        }
        try writer.endElement()
        try writer.endElement()
    }

    /// The statuses over the samples (`200 ×1, 400 ×4`), the single status, or a dash.
    static func statusText(_ testCase: CaseResult) -> String {
        if let summary = testCase.statusSummary { return summary }
        if let status = testCase.status { return String(status) }
        return "—"
    }

    /// How many times the case was sent; a dash for a skipped case, which was not sent.
    static func samplesText(_ testCase: CaseResult) -> String {
        testCase.outcome == .skipped ? "—" : String(testCase.samples)
    }

    /// `p50 3.1, p95 4` over several samples, the single latency `3.1`, or a dash.
    static func latencyText(_ testCase: CaseResult) -> String {
        if testCase.samples > 1, let latency = testCase.latency {
            return "p50 \(Milliseconds.text(latency.value(.p50))), "
                + "p95 \(Milliseconds.text(latency.value(.p95)))"
        }
        if let timing = testCase.timing { return Milliseconds.text(timing.latency.milliseconds) }
        if let latency = testCase.latency { return Milliseconds.text(latency.value(.p50)) }
        return "—"
    }

    // MARK: Building blocks

    static func writeBadge(_ outcome: CaseResult.Outcome, to writer: XMLWriter) throws(XMLWriterError) {
        let label: String
        switch outcome {
        case .passed: label = "PASS"
        case .failed: label = "FAIL"
        case .errored: label = "ERROR"
        case .skipped: label = "SKIP"
        }
        try writer.element("span", attributes: [("class", "badge " + outcome.rawValue)], text: label)
    }

    /// A `<dl>` of label → value pairs.
    static func writeFacts(_ facts: [(String, String)], to writer: XMLWriter) throws(XMLWriterError) {
        try writer.startElement("dl")
        try writer.attribute("class", "facts")
        for (label, value) in facts {
            try writer.element("dt", text: label)
            try writer.element("dd", text: value)
        }
        try writer.endElement()
    }

    static func writeHeaderRow(_ cells: [String], to writer: XMLWriter) throws(XMLWriterError) {
        try writer.startElement("thead")
        try writer.startElement("tr")
        for cell in cells { try writer.element("th", text: cell) }
        try writer.endElement()
        try writer.endElement()
    }

    static func writeTable(
        header: [String], rows: [[String]], numericColumns: Set<Int>, to writer: XMLWriter
    ) throws(XMLWriterError) {
        try writer.startElement("table")
        try writer.attribute("class", "values")
        try writeHeaderRow(header, to: writer)
        try writer.startElement("tbody")
        for row in rows {
            try writer.startElement("tr")
            for (column, cell) in row.enumerated() {
                try writer.element(
                    "td", attributes: numericColumns.contains(column) ? [("class", "num")] : [], text: cell)
            }
            try writer.endElement()
        }
        try writer.endElement()
        try writer.endElement()
    }

    /// HTML drops one newline right after `<pre>`; a text that starts with one gets another in front.
    static func preformatted(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, first == "\n" || first == "\r" else { return text }
        return "\n" + text
    }

    /// Seconds with two decimals, as the console summary shows them.
    static func seconds(_ duration: Duration) -> String {
        String(format: "%.2f", max(0, duration.milliseconds) / 1000)
    }

}
