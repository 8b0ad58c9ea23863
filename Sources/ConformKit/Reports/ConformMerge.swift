import ConformSupport
import Foundation

/// `conform merge REPORT... --junit PATH`: combines JUnit reports (the shards of a CI matrix) into one.
///
/// Suites of the same name become one suite with their cases in input order; totals are counted again
/// from the cases; the result is written atomically and is valid under both JUnit schemas. Exit status 0
/// once written (the merged report carries the failures), 2 when an input cannot be read or the output
/// cannot be written.
package enum ConformMerge {
    package static func run(
        inputs: [String], output path: String?, console: any TextOutput, errors: any TextOutput,
        diagnostics: any DiagnosticConsumer
    ) -> ExitStatus {
        let boundary = OutputBoundary(output: console, errors: errors, diagnostics: diagnostics)
        guard let path else {
            boundary.diagnose(.error("conform merge needs --junit PATH for the merged report"))
            return .invalid
        }
        guard !inputs.isEmpty else {
            boundary.diagnose(.error("no report to merge: conform merge REPORT.xml... --junit PATH"))
            return .invalid
        }
        var documents: [JUnitDocument] = []
        var problems = RunPlanner.overwrittenInputs(reports: [("--junit", path)], inputs: inputs).map {
            RunDiagnostic.error($0)
        }
        do {
            try ReportFile.prepareDirectory(for: path)
        } catch {
            problems.append(.error("\(error)"))
        }
        for input in inputs {
            let data: Data
            do {
                data = try InputFile.read(input)
            } catch {
                problems.append(.error("cannot read the report: \(error)", at: .file(input)))
                continue
            }
            do {
                documents.append(try JUnitReader.read(data, file: input))
            } catch {
                problems.append(.error(error.message, at: .file(error.file, line: error.line)))
            }
        }
        if !problems.isEmpty {
            boundary.diagnose(problems)
            return .invalid
        }
        let merged = JUnitDocument.merged(documents)
        do {
            try boundary.writeReport(try JUnitWriter.document(merged), as: .xml, to: path)
        } catch let error as ReportFileError {
            boundary.diagnose(.error("\(error)"))
            return .invalid
        } catch {
            boundary.diagnose(.error("cannot write the report \(path): \(error)"))
            return .invalid
        }
        let cases = merged.suites.flatMap(\.testCases)
        let failures = merged.suites.reduce(0) { $0 + $1.failures }
        let errorCount = merged.suites.reduce(0) { $0 + $1.errors }
        let skipped = merged.suites.reduce(0) { $0 + $1.skipped }
        boundary.print(
            "merged \(Plural.count(documents.count, "report")): \(Plural.count(merged.suites.count, "suite")), "
                + "\(Plural.count(cases.count, "case")) (\(cases.count - failures - errorCount - skipped) passed, "
                + "\(failures) failed, \(Plural.count(errorCount, "error")), \(skipped) skipped); report \(path)",
            to: .output)
        return .passed
    }
}
