import ConformXML
import Foundation

/// One case of the HTML report: a `<section>` holding a `<details>`, open when the case failed or had an
/// error, closed otherwise, so that a large suite stays scannable. Its summary is the outcome and the name;
/// inside are the request, the findings, the diagnostic, the timing and, for a case sent more than once,
/// the latency chart.
extension HTMLReportWriter {
    static func writeCase(
        _ testCase: CaseResult, id: String, to writer: XMLWriter
    ) throws(XMLWriterError) {
        try writer.startElement("section")
        try writer.attribute("class", "case " + testCase.outcome.rawValue)
        try writer.attribute("id", id)
        // A failed or errored case is open; the others are one line each until a reader opens them.
        try writer.startElement("details")
        if testCase.outcome == .failed || testCase.outcome == .errored { try writer.attribute("open", "open") }
        try writer.startElement("summary")
        try writer.startElement("h3")
        try writeBadge(testCase.outcome, to: writer)
        try writer.element("span", attributes: [("class", "name")], text: testCase.name)
        try writer.endElement()
        try writer.endElement()
        var facts: [(String, String)] = []
        if let request = testCase.request { facts.append(("Request", request)) }
        facts.append(("Status", statusText(testCase)))
        if let timing = testCase.timing, testCase.samples == 1 {
            facts.append(("Latency", Milliseconds.text(timing.latency.milliseconds) + " ms (the endpoint's part)"))
        }
        facts.append(
            ("Duration", Milliseconds.text(testCase.duration.milliseconds) + " ms (the whole case, checks included)"))
        if testCase.outcome != .skipped { facts.append(("Samples", String(testCase.samples))) }
        if let connections = testCase.connections {
            facts.append(("Connections", connections))
        } else if let timing = testCase.timing {
            facts.append(("Connection", timing.connectionDescription))
        }
        try writeFacts(facts, to: writer)
        if let reason = testCase.skipReason {
            try writer.element(
                "p", attributes: [("class", "reason skipped")], text: "Skipped: " + reason)
        }
        if let failure = testCase.transportFailure {
            try writer.element(
                "p", attributes: [("class", "reason errored")],
                text: "Error (\(failure.kind)): " + failure.description)
        }
        try writeFindings(testCase.findings, to: writer)
        // The findings are listed above; the diagnostic adds the request and the response.
        let rest = diagnosticRest(testCase)
        if !rest.isEmpty {
            try writer.element("pre", attributes: [("class", "diagnostic")], text: preformatted(rest))
        }
        if let response = testCase.response { try writeResponse(response, to: writer) }
        try writeTiming(testCase, to: writer)
        try writeLatencyChart(for: testCase, id: id, to: writer)
        try writer.startElement("p")
        try writer.attribute("class", "top")
        try writer.element("a", attributes: [("href", "#top")], text: "Back to top")
        try writer.endElement()
        try writer.endElement()  // details
        try writer.endElement()  // section
    }

    static func writeFindings(
        _ findings: [Finding], to writer: XMLWriter
    ) throws(XMLWriterError) {
        guard !findings.isEmpty else { return }
        try writer.startElement("ul")
        try writer.attribute("class", "findings")
        for finding in findings {
            try writer.startElement("li")
            try writer.attribute("class", finding.severity.rawValue.replacingOccurrences(of: " ", with: "-"))
            try writer.element("span", attributes: [("class", "severity")], text: finding.severity.rawValue)
            try writer.element("span", attributes: [("class", "check")], text: finding.check.label)
            try writer.element("span", attributes: [("class", "message")], text: finding.message)
            try writer.endElement()
        }
        try writer.endElement()
    }

    /// The phases (`ttfb` → ms), the latency statistics and the case's report properties.
    private static func writeTiming(
        _ testCase: CaseResult, to writer: XMLWriter
    ) throws(XMLWriterError) {
        if !testCase.phaseMetrics.isEmpty {
            let caption =
                testCase.samples > 1 ? "Timing phases (median of \(testCase.samples) samples)" : "Timing phases"
            try writer.element("h4", text: caption)
            try writeTable(
                header: testCase.phaseMetrics.map { phaseName($0.name) + " (ms)" },
                rows: [testCase.phaseMetrics.map { Milliseconds.text($0.milliseconds) }],
                numericColumns: Set(testCase.phaseMetrics.indices), to: writer)
        }
        if let latency = testCase.latency {
            try writer.element("h4", text: "Latency over \(latency.samples) samples")
            try writeTable(
                header: LatencyStatistic.allCases.map { "\($0.rawValue) (ms)" },
                rows: [LatencyStatistic.allCases.map { Milliseconds.text(latency.value($0)) }],
                numericColumns: Set(LatencyStatistic.allCases.indices), to: writer)
        }
        if !testCase.properties.isEmpty {
            try writer.element("h4", text: "Properties")
            try writeTable(
                header: ["Property", "Value"],
                rows: testCase.properties.map { [$0.name, $0.value] },
                numericColumns: [], to: writer)
        }
    }

    /// `ttfb_ms` → `ttfb`.
    static func phaseName(_ metric: String) -> String {
        metric.hasSuffix("_ms") ? String(metric.dropLast(3)) : metric
    }
}
