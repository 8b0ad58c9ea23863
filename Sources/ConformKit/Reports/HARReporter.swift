import Foundation

/// `--har PATH`: the HAR 1.2 archive of every exchange, which the ``HARRecorder`` kept as the run went (it
/// observes every sample); written entry by entry, each masked on its way.
struct HARReporter: Reporter {
    var path: String
    var recorder: HARRecorder

    func write(_ run: RunReport, to boundary: OutputBoundary) throws {
        try boundary.writeReport(to: path, as: .json, recorder.write)
    }
}
