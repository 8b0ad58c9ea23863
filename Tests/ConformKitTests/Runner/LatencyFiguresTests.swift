import Foundation
import Testing

@testable import ConformHTTP
@testable import ConformKit

/// Every output shows the same latency figures, to the digit, for samples of known latencies.
///
/// 200 samples of 3.5, 4, 4.5 … 103 ms go through the aggregator in a shuffled order. Nearest rank
/// (``LatencySummary``) makes p50 the 100th smallest (53 ms), p90 the 180th (93), p95 the 190th (98) and
/// p99 the 198th (102); min 3.5, max 103, mean 53.25. Every statistic differs from every other, so an
/// output that shows one in place of another, rounds it to a histogram bucket, or changes its unit fails.
@Suite struct LatencyFiguresTests {
    static let count = 200
    static let latencies = (1...count).map { 3.0 + 0.5 * Double($0) }
    static let expected: [LatencyStatistic: Double] = [
        .min: 3.5, .p50: 53, .p90: 93, .p95: 98, .p99: 102, .max: 103, .mean: 53.25,
    ]
    static let name = "refresh under load"

    /// The samples' order: a fixed permutation (73 is prime to 200), so that nothing relies on sorted input.
    static let order = (0..<count).map { ($0 * 73) % count }

    static var caseResult: CaseResult {
        let aggregator = SampleAggregator(total: count, secrets: SecretStore())
        for index in order {
            let timing = ExchangeTiming(
                connection: index == 0 ? .new : .reused, queue: .microseconds(250),
                total: .microseconds(250) + .microseconds(Int64(latencies[index] * 1000)))
            let result = CaseResult(
                name: name, outcome: .passed, findings: [], request: "POST http://127.0.0.1:1/token", status: 200,
                timing: timing, diagnostic: "", duration: .milliseconds(latencies[index]))
            aggregator.add(index: index, CaseEvaluator.Evaluation(result: result, captured: [:]))
        }
        return aggregator.result(duration: .seconds(2), objectives: [], notes: [])!
    }

    static var suiteResult: SuiteResult {
        SuiteResult(
            suiteName: "figures", suiteFile: "suites/figures.json", targetDescription: "recorded samples",
            baseURL: "http://127.0.0.1:1", startedAt: Date(timeIntervalSince1970: 1_795_000_000),
            duration: .seconds(2), cases: [caseResult], transcript: "")
    }

    @Test func theSummaryIsNearestRankOverTheExactSamples() throws {
        let result = Self.caseResult
        let latency = try #require(result.latency)
        #expect(latency.samples == Self.count)
        #expect(latency.values == Self.expected)
        #expect(result.latencySamples == Self.latencies)
        // The same figures from the samples themselves, in any order.
        #expect(LatencySummary(milliseconds: Self.latencies.reversed()) == latency)
    }

    @Test func theRankIsTheCeilingOfTheShare() {
        #expect(LatencySummary.rank(percent: 50, count: 200) == 100)
        #expect(LatencySummary.rank(percent: 95, count: 20) == 19)
        #expect(LatencySummary.rank(percent: 95, count: 50) == 48)
        #expect(LatencySummary.rank(percent: 99, count: 50) == 50)
        #expect(LatencySummary.rank(percent: 50, count: 1) == 1)
        #expect(LatencySummary.rank(percent: 99, count: 1_000_000) == 990_000)
        let five = LatencySummary(milliseconds: [5, 1, 4, 2, 3])
        #expect(five?.values == [.min: 1, .p50: 3, .p90: 5, .p95: 5, .p99: 5, .max: 5, .mean: 3])
        #expect(LatencySummary(milliseconds: []) == nil)
        #expect(LatencySummary(milliseconds: [.nan, 2, .infinity])?.values[.p50] == 2)
    }

    @Test func theConsoleShowsTheFigures() {
        let buffer = BufferedOutput()
        ConsoleReporter(boundary: OutputBoundary(output: buffer, errors: buffer)).caseFinished(Self.caseResult)
        #expect(
            buffer.text == """
                  PASS  refresh under load (200, 200 samples, p50 53 ms, p95 98 ms, 100/s)
                        latency: 200 samples: min 3.5, p50 53, p90 93, p95 98, p99 102, max 103, mean 53.3 ms

                """)
    }

    /// A case cut short by its time budget (4 samples in 10 s) reads "0.4/s", not "0/s".
    @Test func aSlowCasesRateKeepsADecimal() {
        #expect(Milliseconds.rate(samples: 4, over: 10_000) == "0.4/s")
        #expect(Milliseconds.rate(samples: 95, over: 10_000) == "9.5/s")
        #expect(Milliseconds.rate(samples: 200, over: 2_000) == "100/s")
        #expect(Milliseconds.rate(samples: 3041, over: 1_000) == "3041/s")
        #expect(Milliseconds.rate(samples: 4, over: 0) == nil)
    }

    @Test func theJUnitPropertiesCarryTheFigures() throws {
        let report = String(decoding: try JUnitWriter.document(for: [Self.suiteResult], hostname: "ci"), as: UTF8.self)
        let expected = [
            ("samples", "200"), ("min_ms", "3.50"), ("p50_ms", "53.00"), ("p90_ms", "93.00"), ("p95_ms", "98.00"),
            ("p99_ms", "102.00"), ("max_ms", "103.00"), ("mean_ms", "53.25"),
        ]
        for (key, value) in expected {
            let property = "<property name=\"\(Self.name).latency.\(key)\" value=\"\(value)\"/>"
            #expect(report.contains(property), "\(property)")
        }
        #expect(report.components(separatedBy: "\(Self.name).latency.").count - 1 == expected.count)
        #expect(report.contains("<property name=\"\(Self.name).connection\" value=\"1 new, 199 reused\"/>"))
        #expect(report.contains("<property name=\"\(Self.name).latency_ms\" value=\"53.25\"/>"))
    }

    @Test func theJSONResultsCarryTheFigures() throws {
        let data = JSONResults(results: [Self.suiteResult], exitStatus: .passed).encoded()
        let results = try JSONDecoder.snakeCase.decode(JSONResults.self, from: data)
        let entry = try #require(results.suites.first?.cases.first)
        #expect(entry.samples == 200)
        #expect(
            entry.latency == [
                "min_ms": 3.5, "p50_ms": 53, "p90_ms": 93, "p95_ms": 98, "p99_ms": 102, "max_ms": 103, "mean_ms": 53.25,
            ])
        #expect(entry.latencyMs == nil)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"p99_ms\" : 102\n"), "written as the integer it is")
    }

    @Test func theHTMLReportShowsTheFiguresAndDrawsTheMarkersThere() throws {
        let page = String(
            decoding: try HTMLReportWriter.document(
                for: [Self.suiteResult], generatedAt: Date(timeIntervalSince1970: 0)),
            as: UTF8.self)
        #expect(page.contains("<td class=\"num\">p50 53, p95 98</td>"))
        #expect(page.contains("<h4>Latency over 200 samples</h4>"))
        let row = ["3.5", "53", "93", "98", "102", "103", "53.3"].map { "<td class=\"num\">\($0)</td>" }.joined()
        let compact = page.replacingOccurrences(of: #">\s+<"#, with: "><", options: .regularExpression)
        #expect(compact.contains("<tr>\(row)</tr>"), "the latency table")
        // The chart: 200 samples from 3.5 to 103 ms in 40 bins of 2.4875 ms; p50 and p95 drawn where they are.
        #expect(
            page.contains(
                "Latency histogram of refresh under load: 200 samples from 3.5 to 103.0 ms in 40 bins; p50 53.0 ms, p95 98.0 ms"
            ))
        #expect(page.components(separatedBy: "<rect class=\"bar\"").count - 1 == 40)
        // x = 48 + 576 · (value − 3.5) / 99.5
        for (statistic, value, x) in [("p50", "53.0", "334.55"), ("p95", "98.0", "595.06")] {
            #expect(
                page.contains(
                    "<line class=\"marker \(statistic)\" x1=\"\(x)\" y1=\"30.00\" x2=\"\(x)\" y2=\"184.00\"/>"),
                "\(statistic) marker at \(x)")
            #expect(page.contains(">\(statistic) \(value) ms</text>"), "\(statistic) label")
        }
    }

    /// Without a summary (a case whose statistics were not kept), the chart ranks the kept samples the
    /// same way.
    @Test func theChartRanksKeptSamplesTheSameWay() {
        var result = Self.caseResult
        let summary = result.latency
        result.latency = nil
        let markers = HTMLReportWriter.markers(of: result, samples: result.latencySamples)
        #expect(markers.p50 == summary?.value(.p50))
        #expect(markers.p95 == summary?.value(.p95))
        let odd = HTMLReportWriter.markers(of: result, samples: (1...50).map(Double.init))
        #expect(odd.p50 == 25)
        #expect(odd.p95 == 48)
    }
}
