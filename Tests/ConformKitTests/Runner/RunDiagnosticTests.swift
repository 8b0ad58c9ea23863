@testable import ConformSupport
import Foundation
import Testing

@testable import ConformKit
@testable import conform

/// The library's diagnostics are data (severity, location, message); the command line's printer makes their
/// text, which reads as it always has.
@Suite(.temporaryDirectories) struct RunDiagnosticTests {
    @Test func eachLocationReadsAsACompilerWouldSayIt() {
        #expect(DiagnosticPrinter.line(for: RunDiagnostic.error("no suite given")) == "conform: error: no suite given")
        #expect(DiagnosticPrinter.line(for: RunDiagnostic.note("skipping a.schema.json")) == "conform: note: skipping a.schema.json")
        #expect(
            DiagnosticPrinter.line(for: RunDiagnostic.error("--live needs a 'base_url' in the suite", at: .subject("suites/x.json")))
                == "conform: error: suites/x.json: --live needs a 'base_url' in the suite")
        #expect(DiagnosticPrinter.line(for: RunDiagnostic.error("not UTF-8", at: .file("v.env"))) == "v.env: error: not UTF-8")
        #expect(DiagnosticPrinter.line(for: RunDiagnostic.error("bad", at: .file("v.env", line: 3))) == "v.env:3: error: bad")
        #expect(
            DiagnosticPrinter.line(for: RunDiagnostic.warning("odd", at: .file("s.json", line: 12, column: 5)))
                == "s.json:12:5: warning: odd")
        // A column without a line says nothing: it is left out.
        #expect(DiagnosticPrinter.line(for: RunDiagnostic.error("bad", at: .file("v.env", line: nil, column: 7))) == "v.env: error: bad")
    }

    /// A suite file's diagnostic carried over reads exactly as the loader's own.
    @Test func aSuiteDiagnosticKeepsItsText() {
        let located = Diagnostic(
            file: "suites/x.json", location: SourceLocation(line: 4, column: 9), message: "unknown field",
            severity: .warning)
        let whole = Diagnostic(file: "suites/x.json", location: nil, message: "not JSON")
        for diagnostic in [located, whole] {
            #expect(DiagnosticPrinter.line(for: RunDiagnostic(diagnostic)) == diagnostic.description)
        }
        #expect(RunDiagnostic(located).location == .file("suites/x.json", line: 4, column: 9))
        #expect(RunDiagnostic(located).severity == .warning)
    }

    /// Planning returns its problems as values, in the order found, before anything is sent.
    @Test func planningProblemsAreDiagnostics() throws {
        var options = RunOptions(suitePaths: [])
        options.timeoutSeconds = 0
        options.variables = ["1x=2", "justaname"]
        let planner = RunPlanner(options: options, environment: [:], secrets: SecretStore())
        let error = try #require(throws: PlanningError.self) { try planner.plan() }
        #expect(error.diagnostics.allSatisfy { $0.severity == .error && $0.location == .invocation })
        #expect(
            error.diagnostics.map(\.message) == [
                "no suite given: conform run SUITE.json...",
                "--timeout must be a number of seconds above 0 and at most 3600, got 0",
                #"--var "1x": a variable name is letters, digits and '_'"#,
                "--var justaname has no value: expected NAME=VALUE (NAME= for an empty value)",
            ])
    }

    /// A variable file that cannot be read is named as the subject, the reason as the message.
    @Test func anUnreadableVariableFileIsItsSubject() throws {
        let missing = TestPaths.temporaryDirectory().appendingPathComponent("absent.env").path
        guard case .failure(let error) = VariableFile.read(missing) else {
            Issue.record("a missing file was read")
            return
        }
        #expect(error.diagnostics.map(\.location) == [.subject("--var-file \(missing)")])
        #expect(error.diagnostics.first.map(DiagnosticPrinter.line(for:))?.hasPrefix("conform: error: --var-file \(missing): ") == true)
    }
}
