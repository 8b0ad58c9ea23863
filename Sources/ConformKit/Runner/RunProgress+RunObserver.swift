import Foundation

/// The progress line's state follows the run: the suite, the case in flight, its samples.
extension RunProgress: RunObserver {
    func suiteStarted(_ suite: SuiteStart) {
        startSuite(suite.name, cases: suite.cases)
    }

    func caseStarted(_ name: String, samples: Int) {
        startCase(name, samples: samples)
    }

    func sampleDone(_ sample: SampleDone) -> Bool {
        sampleTaken()
        return false
    }

    func caseFinished(_ result: CaseResult) {
        finishCase()
    }
}
