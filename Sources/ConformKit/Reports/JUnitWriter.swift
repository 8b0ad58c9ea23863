import ConformSupport
import ConformXML
import Foundation

/// Writes JUnit XML valid under both Jenkins xunit's `junit-10.xsd` and the Ant-format `JUnit.xsd`.
///
/// The profile both accept: `<testsuites>` without attributes; per suite `package`, `id`, `name`,
/// `timestamp` (UTC, no zone), `hostname`, counts and `time` (seconds, 3 decimals); children in the order
/// `properties`, `testcase*`, `system-out`, `system-err`; at most one `failure`/`error`/`skipped` per case,
/// `failure` and `error` always with `type` and `message`. Escaping is libxml2's (``XMLWriter``).
///
/// ```xml
/// <?xml version="1.0" encoding="UTF-8"?>
/// <testsuites>
///   <testsuite name="pitchpoint" package="pitchpoint" id="0" timestamp="2026-11-21T10:00:00"
///              hostname="ci-7" tests="2" failures="1" errors="0" skipped="0" time="0.045">
///     <properties>
///       <property name="conform.version" value="0.1.0"/>
///       <property name="conform.base_url" value="http://127.0.0.1:40123"/>
///       <property name="refresh with valid token.warning.1" value="header: Cache-Control: expected …"/>
///     </properties>
///     <testcase name="refresh with valid token" classname="pitchpoint" time="0.004"/>
///     <testcase name="invalid refresh token" classname="pitchpoint" time="0.003">
///       <failure type="status" message="expected 4xx, got 200 (a success status)">failure [status]: …
/// request: POST http://127.0.0.1:40123/user-management-services-ws/oauth2/002/refreshIdToken
/// response: 200 OK, application/json, 231 bytes, 2.9 ms</failure>
///     </testcase>
///     <system-out>  PASS  refresh with valid token (200, 3.1 ms) …</system-out>
///     <system-err></system-err>
///   </testsuite>
/// </testsuites>
/// ```
enum JUnitWriter {
    static func document(
        for results: [SuiteResult], hostname: String = Host.name
    ) throws(XMLWriterError) -> Data {
        try document(JUnitDocument(results: results, hostname: hostname))
    }

    /// Writes a report as it is: masking happens where it leaves conform (``OutputBoundary``).
    static func document(
        _ report: JUnitDocument
    ) throws(XMLWriterError) -> Data {
        let writer = try XMLWriter()
        try writer.startElement("testsuites")
        for (index, suite) in report.suites.enumerated() {
            try writeSuite(suite, id: index, to: writer)
        }
        try writer.endElement()
        return try writer.finish()
    }

    private static func writeSuite(
        _ suite: JUnitDocument.TestSuite, id: Int, to writer: XMLWriter
    ) throws(XMLWriterError) {
        try writer.startElement("testsuite")
        let attributes = [
            ("name", suite.name), ("package", suite.name), ("id", String(id)), ("timestamp", suite.timestamp),
            ("hostname", suite.hostname), ("tests", String(suite.testCases.count)),
            ("failures", String(suite.failures)),
            ("errors", String(suite.errors)), ("skipped", String(suite.skipped)), ("time", seconds(suite.time)),
        ]
        for (name, value) in attributes { try writer.attribute(name, value) }
        try writer.startElement("properties")
        for property in suite.properties {
            try writer.element(
                "property", attributes: [("name", property.name), ("value", property.value)])
        }
        try writer.endElement()
        for testCase in suite.testCases {
            try writer.startElement("testcase")
            try writer.attribute("name", testCase.name)
            try writer.attribute("classname", testCase.classname)
            try writer.attribute("time", seconds(testCase.time))
            if let result = testCase.result {
                var attributes: [(String, String)] = []
                if let type = result.type { attributes.append(("type", type)) }
                attributes.append(("message", result.message))
                try writer.element(result.kind.rawValue, attributes: attributes, text: result.text)
            }
            try writer.endElement()
        }
        try writer.element("system-out", text: suite.systemOut)
        try writer.element("system-err", text: suite.systemErr)
        try writer.endElement()
    }

    /// conform's version, the target, the suite's own warnings as `conform.warning.<n>`, then each case's
    /// warnings and notes as `<case name>.warning.<n>`.
    static func properties(of result: SuiteResult) -> [(String, String)] {
        var properties = [
            ("conform.version", ConformDefaults.version), ("conform.base_url", result.baseURL),
            ("conform.target", result.targetDescription), ("conform.suite_file", result.suiteFile),
        ]
        properties += (result.tls?.properties() ?? []).map { ("conform.tls.\($0.name)", $0.value) }
        for (index, warning) in result.suiteWarnings.enumerated() {
            properties.append(("conform.warning.\(index + 1)", "\(warning.check.label): \(warning.message)"))
        }
        for (index, note) in result.suiteNotes.enumerated() {
            properties.append(("conform.note.\(index + 1)", "\(note.check.label): \(note.message)"))
        }
        for testCase in result.cases {
            for (index, warning) in testCase.warnings.enumerated() {
                properties.append(
                    ("\(testCase.name).warning.\(index + 1)", "\(warning.check.label): \(warning.message)"))
            }
            for (index, deviation) in testCase.knownDeviations.enumerated() {
                properties.append(
                    ("\(testCase.name).known_deviation.\(index + 1)", "\(deviation.check.label): \(deviation.message)"))
            }
            for (index, note) in testCase.notes.enumerated() {
                properties.append(("\(testCase.name).note.\(index + 1)", "\(note.check.label): \(note.message)"))
            }
            properties += timingProperties(of: testCase)
        }
        return properties
    }

    /// `<case>.ttfb_ms`, `<case>.connection`, `<case>.latency.p95_ms`…: the phases (of the single exchange,
    /// or their medians over the samples) and the latency statistics, in milliseconds.
    static func timingProperties(of testCase: CaseResult) -> [(String, String)] {
        let name = testCase.name
        var properties = testCase.phaseMetrics.map {
            ("\(name).\($0.name)", Milliseconds.property($0.milliseconds))
        }
        if let connections = testCase.connections { properties.append(("\(name).connection", connections)) }
        if let latency = testCase.latency {
            properties.append(("\(name).latency.samples", String(latency.samples)))
            for statistic in LatencyStatistic.allCases {
                properties.append(
                    ("\(name).latency.\(statistic.key)", Milliseconds.property(latency.value(statistic))))
            }
        }
        properties += testCase.properties.map { ("\(name).\($0.name)", $0.value) }
        return properties
    }

    /// Seconds with three decimals, as both schemas accept: `0.045`.
    static func seconds(_ duration: Duration) -> String {
        seconds(duration.milliseconds / 1000)
    }

    static func seconds(_ value: Double) -> String {
        String(format: "%.3f", max(0, value.isFinite ? value : 0))
    }

    /// `yyyy-MM-dd'T'HH:mm:ss` in UTC, without a zone (the Ant schema's pattern).
    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter.string(from: date)
    }
}

/// The machine's name for reports; `localhost` when it has none (the Ant schema needs a non-empty token).
enum Host {
    static var name: String {
        let name = ProcessInfo.processInfo.hostName.trimmingCharacters(in: .whitespacesAndNewlines)
        return name.isEmpty ? "localhost" : name
    }
}
