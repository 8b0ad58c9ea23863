import ArgumentParser
import ConformKit
import ConformSupport
import Foundation

/// The `conform` command line: parses options and hands off to ConformKit.
@main
struct Conform: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conform",
        abstract: "Conformance and diagnostics tests for token endpoints, with JUnit reports.",
        discussion: """
            Example:
              conform run suites/oauth2.json          # against the embedded mock
              conform lint suites/*.json              # offline, no secrets needed
            """,
        version: ConformDefaults.version,
        subcommands: [RunCommand.self, LintCommand.self, MergeCommand.self, MockCommand.self])

    /// Runs the command; a usage error exits 2 as the contract says (swift-argument-parser would use 64), and
    /// so does any command whose standard output could not be written. The soft limit on open files goes up to
    /// the hard limit first: connections, event loops and reports all need descriptors, and the common soft
    /// limit of 1024 is below what `--concurrency 1024` needs.
    static func main() async {
        StandardStream.claimDescriptors()
        FileDescriptorLimit.raiseToHardLimit()
        var status: Int32
        do {
            var command = try parseAsRoot(NegativeNumberArguments.joined(Array(CommandLine.arguments.dropFirst())))
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            status = 0
        } catch let exit as ExitCode {
            status = exit.rawValue
        } catch {
            if exitCode(for: error) == .success {
                StandardStream.output.write(fullMessage(for: error) + "\n")
                status = 0
            } else {
                StandardStream.error.write(fullMessage(for: error) + "\n")
                status = ExitStatus.invalid.rawValue
            }
        }
        // Work that was done but could not be said on standard output exits 2.
        if let failure = StandardStream.outputFailure {
            DiagnosticPrinter.standardError.consume([failure])
            status = ExitStatus.invalid.rawValue
        }
        Foundation.exit(status)
    }
}

extension ExitStatus {
    var exitCode: ExitCode { ExitCode(rawValue) }
}
