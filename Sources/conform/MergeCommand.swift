import ArgumentParser
import ConformKit
import Foundation

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine JUnit reports (shards of a CI matrix) into one report with correct totals.",
        discussion: """
            Exit status: 0 the merged report was written; 2 a report cannot be read or merged, or the merged one \
            cannot be written.

            Example:
              conform merge shard-1.xml shard-2.xml --junit reports/all.xml
            """)

    @Argument(help: ArgumentHelp("JUnit reports to merge.", valueName: "report"))
    var reports: [String] = []

    @Option(help: ArgumentHelp("Where to write the merged report.", valueName: "path"))
    var junit: String

    func run() throws {
        let status = ConformMerge.run(
            inputs: reports, output: junit, console: StandardStream.output, errors: StandardStream.error,
            diagnostics: DiagnosticPrinter.standardError)
        throw status.exitCode
    }
}
