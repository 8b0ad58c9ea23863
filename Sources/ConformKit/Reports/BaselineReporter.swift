import Foundation

/// `--write-baseline PATH`: the failures and errors of this run as a baseline for later runs (``Baseline``).
///
/// Re-recording over a baseline of this format keeps its key, so that the same deviations give the same file
/// and a committed baseline changes only where the run changed. Anything else at the path (no file, another
/// format, an unreadable one) gets a new key.
struct BaselineReporter: Reporter {
    var path: String

    func write(_ run: RunReport, to boundary: OutputBoundary) throws {
        let earlier = try? Baseline.load(path)
        let key = earlier.flatMap { $0.legacyNote == nil ? $0.key : nil } ?? Baseline.randomKey()
        try writeReport(path, as: .json, boundary: boundary) { Baseline.recording(run.results, key: key).encoded() }
    }
}
