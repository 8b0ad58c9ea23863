import Foundation

/// `conform merge REPORT... --junit PATH`: combines JUnit reports (the shards of a CI matrix) into one.
///
/// Suites of the same name become one suite with their cases in input order; totals are counted again
/// from the cases; the result is written atomically and is valid under both JUnit schemas. Exit status 0
/// once written (the merged report carries the failures), 2 when an input cannot be read or the output
/// cannot be written.
public enum ConformMerge {
    public static func run(
        inputs: [String], output path: String?, console: any TextOutput, errors: any TextOutput
    ) -> ExitStatus {
        guard let path else {
            errors.write("conform: error: conform merge needs --junit PATH for the merged report\n")
            return .invalid
        }
        guard !inputs.isEmpty else {
            errors.write("conform: error: no report to merge: conform merge REPORT.xml... --junit PATH\n")
            return .invalid
        }
        var documents: [JUnitDocument] = []
        var problems: [String] = []
        for input in inputs where input != path {
            guard let data = FileManager.default.contents(atPath: input) else {
                problems.append("\(input): error: cannot read the report")
                continue
            }
            do {
                documents.append(try JUnitReader.read(data, file: input))
            } catch {
                problems.append(error.description)
            }
        }
        if !problems.isEmpty {
            errors.write(problems.joined(separator: "\n") + "\n")
            return .invalid
        }
        let merged = JUnitDocument.merged(documents)
        do {
            try ReportFile.write(try JUnitWriter.document(merged), to: path)
        } catch let error as ReportFileError {
            errors.write("conform: error: \(error)\n")
            return .invalid
        } catch {
            errors.write("conform: error: cannot write the report \(path): \(error)\n")
            return .invalid
        }
        let cases = merged.suites.flatMap(\.testCases)
        let failures = merged.suites.reduce(0) { $0 + $1.failures }
        let errorCount = merged.suites.reduce(0) { $0 + $1.errors }
        let skipped = merged.suites.reduce(0) { $0 + $1.skipped }
        console.write(
            "merged \(documents.count) report\(documents.count == 1 ? "" : "s"): \(merged.suites.count) suite\(merged.suites.count == 1 ? "" : "s"), "
                + "\(cases.count) cases (\(cases.count - failures - errorCount - skipped) passed, \(failures) failed, \(errorCount) errors, \(skipped) skipped); report \(path)\n"
        )
        return .passed
    }
}
