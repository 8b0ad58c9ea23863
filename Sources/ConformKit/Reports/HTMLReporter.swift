import Foundation

/// `--report-html PATH`: the one-page HTML report of every suite (``HTMLReportWriter``).
struct HTMLReporter: Reporter {
    var path: String

    func write(_ run: RunReport, to boundary: OutputBoundary) throws {
        try writeReport(path, as: .xml, boundary: boundary) { try HTMLReportWriter.document(for: run.results) }
    }
}
