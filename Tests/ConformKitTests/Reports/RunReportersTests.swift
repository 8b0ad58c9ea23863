@testable import ConformSupport
import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import ConformKit

/// The composition root of the outputs: the options decide the reporters and their order, and a report that
/// cannot be written is said, lets the others write, and makes the run exit 2.
@Suite struct RunReportersTests {
    /// Records the exit status each write was handed, or fails with `failure`.
    private final class Recording: Reporter, @unchecked Sendable {
        let failure: String?
        let seen = NIOLockedValueBox<[ConformSupport.ExitStatus]>([])

        init(failing failure: String? = nil) {
            self.failure = failure
        }

        func write(_ run: RunReport, to boundary: OutputBoundary) throws {
            seen.withLockedValue { $0.append(run.exitStatus) }
            if let failure { throw Failure(failure) }
        }
    }

    @Test func theOptionsListTheReportersInTheOrderTheyAreWritten() {
        var options = RunOptions(suitePaths: ["s.json"])
        #expect(RunReporters.fileReporters(for: options, environment: [:], har: nil, console: .output).isEmpty)
        options.junitPath = "r/all.xml"
        options.htmlReportPath = "r/run.html"
        options.harPath = "r/run.har"
        options.writeBaselinePath = "r/baseline.json"
        options.format = .json
        let reporters = RunReporters.fileReporters(
            for: options, environment: ["GITHUB_ACTIONS": "true"], har: HARRecorder(), console: .error)
        #expect(
            reporters.map { String(describing: type(of: $0)) } == [
                "JUnitReporter", "HTMLReporter", "HARReporter", "BaselineReporter", "GitHubActionsReporter",
                "JSONResultsReporter",
            ])
        // The archive needs its recorder: without one there is nothing to write.
        let withoutRecorder = RunReporters.fileReporters(for: options, environment: [:], har: nil, console: .error)
        #expect(!withoutRecorder.contains { $0 is HARReporter })
        // Each suite has its own report unless --junit asks for one of them all.
        #expect(RunReporters.suiteReporters(for: options, reportPath: "reports/s.xml").isEmpty)
        options.junitPath = nil
        let own = RunReporters.suiteReporters(for: options, reportPath: "reports/s.xml")
        #expect(own.map { ($0 as? JUnitReporter)?.path } == ["reports/s.xml"])
    }

    @Test func aReportThatCannotBeWrittenIsSaidAndTheOthersAreStillWritten() {
        let errors = BufferedOutput()
        let boundary = OutputBoundary(output: BufferedOutput(), errors: errors)
        let failing = Recording(failing: "cannot write r/run.html: Permission denied")
        let before = Recording()
        let after = Recording()
        let status = RunReporters.write([before, failing, after], results: [], status: .failed, boundary: boundary)
        #expect(status == .invalid)
        #expect(errors.text == "conform: error: cannot write r/run.html: Permission denied\n")
        // Each reporter sees the status so far: the one after the failure sees 2, as the JSON results print it.
        #expect(before.seen.withLockedValue { $0 } == [ConformSupport.ExitStatus.failed])
        #expect(failing.seen.withLockedValue { $0 } == [ConformSupport.ExitStatus.failed])
        #expect(after.seen.withLockedValue { $0 } == [ConformSupport.ExitStatus.invalid])
    }

    @Test func theStatusIsKeptWhenEveryReportIsWritten() {
        let errors = BufferedOutput()
        let boundary = OutputBoundary(output: BufferedOutput(), errors: errors)
        #expect(
            RunReporters.write([Recording(), Recording()], results: [], status: .passed, boundary: boundary) == .passed)
        #expect(RunReporters.write([], results: [], status: .interrupted, boundary: boundary) == .interrupted)
        #expect(errors.text.isEmpty)
    }
}
