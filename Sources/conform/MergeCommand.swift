import ArgumentParser
import ConformKit
import Foundation

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine JUnit reports (shards of a CI matrix) into one report with correct totals.")

    @Argument(help: "JUnit reports to merge.")
    var reports: [String] = []

    @Option(help: "Where to write the merged report.")
    var junit: String?

    func run() throws {
        let status = ConformMerge.run(
            inputs: reports, output: junit, console: StandardStream.output, errors: StandardStream.error)
        throw status.exitCode
    }
}
