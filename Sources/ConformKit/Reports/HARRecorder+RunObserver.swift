import Foundation

/// `--har` records every sample as it is done, with its case and outcome; the archive is written at the end
/// by the ``HARReporter``.
extension HARRecorder: RunObserver {
    /// `true` when the archive keeps the sample (it is not full), so that its secrets are masked there too.
    func sampleDone(_ sample: SampleDone) -> Bool {
        record(
            sample.exchange, started: sample.started, suite: sample.suite, testCase: sample.testCase,
            outcome: CaseSampler.outcome(of: sample.result), comparison: sample.comparison)
    }
}
