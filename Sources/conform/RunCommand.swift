import ArgumentParser
import ConformKit
import Foundation

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run suites against their embedded mock or a live endpoint and write JUnit reports.",
        discussion: """
            Exit status:
              0    every case passed or was skipped
              1    a case failed or had an error
              2    invalid invocation or suite, unset required variable, unwritable report
              130  SIGINT (Ctrl-C) stopped the run; the reports were written
              143  SIGTERM stopped the run; the reports were written

            Examples:
              conform run suites/oauth2.json
              conform run suites/oauth2.json --live --var-file oauth2.env
              conform run suites/*.json --report-html reports/run.html --har reports/run.har
            """)

    @OptionGroup var arguments: RunArguments

    func run() async throws {
        var options = arguments.options
        options.handlesSignals = true
        let status = await ConformRun.run(
            options, environment: ProcessInfo.processInfo.environment, output: StandardStream.output,
            errors: StandardStream.error, diagnostics: DiagnosticPrinter.standardError)
        throw status.exitCode
    }
}
