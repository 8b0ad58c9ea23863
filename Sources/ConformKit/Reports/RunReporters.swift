import ConformSupport
import Foundation

/// The composition root of the outputs: which reporters a run's options ask for, in the order they are
/// written, and writing them all.
enum RunReporters {
    /// The file outputs of a run, in order: JUnit, HTML, HAR, baseline, GitHub Actions, JSON results (last,
    /// as it prints the exit status the others came to).
    static func fileReporters(
        for options: RunOptions, environment: [String: String], har: HARRecorder?,
        console: OutputBoundary.Stream
    ) -> [any Reporter] {
        var reporters: [any Reporter] = []
        if let path = options.junitPath { reporters.append(JUnitReporter(path: path)) }
        if let path = options.htmlReportPath { reporters.append(HTMLReporter(path: path)) }
        if let path = options.harPath, let har { reporters.append(HARReporter(path: path, recorder: har)) }
        if let path = options.writeBaselinePath { reporters.append(BaselineReporter(path: path)) }
        if GitHubActions.isActive(environment) {
            reporters.append(GitHubActionsReporter(environment: environment, stream: console))
        }
        if options.format == .json { reporters.append(JSONResultsReporter()) }
        return reporters
    }

    /// The report of one suite, written as soon as it has run: its own JUnit file, unless `--junit` asks
    /// for one report of every suite.
    static func suiteReporters(for options: RunOptions, reportPath: String) -> [any Reporter] {
        options.junitPath == nil ? [JUnitReporter(path: reportPath)] : []
    }

    /// Writes every report, whatever became of the run (an interrupted run's results list every case), and
    /// says on standard error why one could not be written. Returns the exit status: `status`, or
    /// ``ExitStatus/invalid`` when a report failed.
    static func write(
        _ reporters: [any Reporter], results: [SuiteResult], status: ExitStatus, boundary: OutputBoundary
    ) -> ExitStatus {
        var status = status
        for reporter in reporters {
            do {
                try reporter.write(RunReport(results: results, exitStatus: status), to: boundary)
            } catch {
                // What went wrong, a document that could not be made too, is said as the report's failure.
                boundary.diagnose(.error("\(error)"))
                status = .invalid
            }
        }
        return status
    }
}
