import ConformSupport
import ConformXML
import Foundation

/// The parts of the HTML report that show what an endpoint sent and what a reader would otherwise miss: the
/// response of a failed or errored case (headers and the whole body up to ``ResponseShown/bodyLimit``, in a
/// closed `<details>`: no script), the diagnostic without the findings the list above it already shows, the
/// warnings of every case of a suite in one list, and what the report's three durations measure.
extension HTMLReportWriter {
    /// What each duration of a case measures, under the case table.
    static let durationsExplained =
        "Latency: the endpoint's part of one exchange, from name resolution (on a new connection) or sending "
        + "(on a reused one) to the last byte of the response, without conform's own queueing; over several "
        + "samples, their p50 and p95. Duration: the whole case, every sample with its checks and conform's own "
        + "waiting. Timing phases: one exchange split into dns, connect, tls, send, wait (time to first byte) and "
        + "download; over several samples, the median of each."

    /// The diagnostic's lines without those the findings list and the error line already show.
    static func diagnosticRest(_ testCase: CaseResult) -> String {
        // A finding as the list shows it (`failure [body]: …`), or its bare message (a repeated case's
        // diagnostic opens with its samples' summary).
        var shown = Set(
            testCase.findings.flatMap { ($0.description + "\n" + $0.message).split(separator: "\n").map(String.init) })
        if let failure = testCase.transportFailure { shown.insert("error [\(failure.kind)]: \(failure)") }
        return testCase.diagnostic.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            .filter { !shown.contains($0) }.joined(separator: "\n")
    }

    /// `<details class="response">`: the status line, the headers as a table and the body, closed until a
    /// reader opens it.
    static func writeResponse(_ response: ResponseShown, to writer: XMLWriter) throws(XMLWriterError) {
        try writer.startElement("details")
        try writer.attribute("class", "response")
        let size =
            response.bodyCut
            ? "\(response.bodySize) bytes, the first \(ByteCount.describe(ResponseShown.bodyLimit)) shown"
            : Plural.count(response.bodySize, "byte")
        try writer.element(
            "summary",
            text: "Response: \(response.status) \(BodyExcerpt.line(response.reason, limit: 200)), "
                + "\(Plural.count(response.headers.count, "header")), body \(size)")
        if !response.headers.isEmpty {
            try writeTable(
                header: ["Header", "Value"],
                rows: response.headers.map {
                    [BodyExcerpt.line($0.name, limit: 200), BodyExcerpt.line($0.value, limit: 4000)]
                },
                numericColumns: [], to: writer)
        }
        try writer.element(
            "pre", attributes: [("class", "body")],
            text: response.bodySize == 0 ? "(empty body)" : preformatted(response.bodyText))
        try writer.endElement()
    }

    /// Every warning of the suite's cases, passed ones included, each linked to its case; nothing when there
    /// are none.
    static func writeWarnings(_ result: SuiteResult, suiteIndex: Int, to writer: XMLWriter) throws(XMLWriterError) {
        let warned = result.cases.enumerated().filter { !$0.element.warnings.isEmpty }
        guard !warned.isEmpty else { return }
        try writer.startElement("section")
        try writer.attribute("class", "warnings")
        try writer.element("h3", text: "Warnings (\(warned.reduce(0) { $0 + $1.element.warnings.count }))")
        try writer.startElement("ul")
        for (caseIndex, testCase) in warned {
            for warning in testCase.warnings {
                try writer.startElement("li")
                try writer.element(
                    "a", attributes: [("href", "#" + caseAnchor(suite: suiteIndex, case: caseIndex))],
                    text: testCase.name)
                try writer.element("span", attributes: [("class", "check")], text: warning.check.label)
                try writer.element("span", attributes: [("class", "message")], text: warning.message)
                try writer.endElement()
            }
        }
        try writer.endElement()
        try writer.endElement()
    }
}
