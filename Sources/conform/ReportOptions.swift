import ArgumentParser
import ConformKit

/// What the run writes, and how the console shows it.
struct ReportOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Write one JUnit report holding every suite here (default: reports/<suite>.xml each).", valueName: "path"))
    var junit: String?

    @Option(
        name: .customLong("report-html"),
        help: ArgumentHelp("Also write one self-contained HTML report.", valueName: "path"))
    var reportHTML: String?

    @Option(
        name: .customLong("har"), help: ArgumentHelp("Write every exchange of the run as HAR 1.2.", valueName: "path"))
    var har: String?

    @Option(
        help: ArgumentHelp(
            "Report the failures recorded in this file as known deviations; fail on anything new.", valueName: "path"))
    var baseline: String?

    @Option(
        name: .customLong("write-baseline"),
        help: ArgumentHelp("Record this run's failures and errors in this file.", valueName: "path"))
    var writeBaseline: String?

    @Option(
        help: ArgumentHelp(
            "text: one line per case; json: the results as JSON on standard output (console on standard error).",
            valueName: "format"))
    var format: OutputFormat = .text

    @Flag(name: .shortAndLong, help: "Show the timing phases of every case.")
    var verbose = false

    func apply(to options: inout RunOptions) {
        options.junitPath = junit
        options.htmlReportPath = reportHTML
        options.harPath = har
        options.baselinePath = baseline
        options.writeBaselinePath = writeBaseline
        options.format = format
        options.verbose = verbose
    }
}

extension OutputFormat: ExpressibleByArgument {}
