import Foundation

/// `--junit PATH`, and each suite's own report when there is no combined one: the JUnit XML of the suites
/// given (``JUnitWriter``).
struct JUnitReporter: Reporter {
    var path: String

    func write(_ run: RunReport, to boundary: OutputBoundary) throws {
        try writeReport(path, as: .xml, boundary: boundary) { try JUnitWriter.document(for: run.results) }
    }
}
