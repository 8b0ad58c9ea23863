import ConformSupport
import Foundation

/// A file output of a run (JUnit, HTML, JSON, HAR, baseline, GitHub step summary): one value per output the
/// options ask for, each written from the same ``RunReport`` once sending has ended, interrupted or not.
///
/// Adding an output is one conformance in its own file (`Reports/<Format>Reporter.swift`), its flag in
/// ``RunOptions`` and the command line, and one line in ``RunReporters/fileReporters(for:environment:har:console:)``.
/// Everything a reporter writes goes through the ``OutputBoundary``, which masks every secret the run knows.
protocol Reporter: Sendable {
    /// Writes the output. A thrown error says why it could not be written: the run prints it as
    /// `conform: error: …` and exits 2, after the other reporters have written theirs.
    func write(_ run: RunReport, to boundary: OutputBoundary) throws
}

/// What every file output is made from: the results of the suites run (every case listed, skipped ones
/// too, when the run was interrupted) and the exit status so far.
struct RunReport: Sendable {
    var results: [SuiteResult]
    /// The exit status the run has come to before this output; the JSON results print it.
    var exitStatus: ExitStatus
}

extension Reporter {
    /// Writes a report of one piece atomically through the boundary, masked as `format`.
    func writeReport(
        _ path: String, as format: OutputBoundary.DocumentFormat, boundary: OutputBoundary,
        _ document: () throws -> Data
    ) throws {
        try boundary.writeReport(to: path, as: format) { part in
            try part(String(decoding: try document(), as: UTF8.self))
        }
    }
}
