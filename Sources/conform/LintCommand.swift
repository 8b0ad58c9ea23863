import ArgumentParser
import ConformKit
import Foundation

struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check suites, schemas, references and the selection offline, and send nothing.",
        discussion: """
            Lint needs no endpoint and no secret: a suite without an embedded mock needs no --base-url, and a \
            variable given by --var or --var-file only has to be declared. Every other option of conform run is \
            accepted and checked as run checks it, so one argument list serves both.

            Exit status: 0 every suite and option is valid; 2 with every problem found, located.

            Example:
              conform lint suites/*.json --tag smoke
            """)

    @OptionGroup var arguments: LintArguments

    func run() throws {
        let status = ConformLint.run(
            arguments.options, environment: ProcessInfo.processInfo.environment, output: StandardStream.output,
            errors: StandardStream.error, diagnostics: DiagnosticPrinter.standardError)
        throw status.exitCode
    }
}
