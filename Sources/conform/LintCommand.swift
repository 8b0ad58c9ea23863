import ArgumentParser
import ConformKit
import Foundation

struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Make every check run makes before sending, and send nothing.",
        discussion: "Exit status: 0 when every suite and option is valid; 2 with every problem found, located.")

    @OptionGroup var arguments: RunArguments

    func run() throws {
        let status = ConformLint.run(
            arguments.options, environment: ProcessInfo.processInfo.environment, output: StandardStream.output,
            errors: StandardStream.error)
        throw status.exitCode
    }
}
