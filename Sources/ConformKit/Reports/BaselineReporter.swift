import Foundation

/// `--write-baseline PATH`: the failures and errors of this run as a baseline for later runs (``Baseline``).
struct BaselineReporter: Reporter {
    var path: String

    func write(_ run: RunReport, to boundary: OutputBoundary) throws {
        try writeReport(path, as: .json, boundary: boundary) { Baseline.recording(run.results).encoded() }
    }
}
