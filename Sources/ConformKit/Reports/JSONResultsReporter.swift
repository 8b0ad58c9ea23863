import Foundation

/// `--format json`: the results as one JSON document on standard output, with the exit status the run came
/// to (``JSONResults``). Listed last, so that the status includes every other report's.
struct JSONResultsReporter: Reporter {
    func write(_ run: RunReport, to boundary: OutputBoundary) throws {
        let document = JSONResults(results: run.results, exitStatus: run.exitStatus).encoded()
        boundary.write(String(decoding: document, as: UTF8.self) + "\n", as: .json, to: .output)
    }
}
