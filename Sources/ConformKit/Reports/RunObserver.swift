import ConformHTTP
import Foundation

/// A live output of a run (the console, the progress line, the HAR recording): told what the runner does as
/// it happens, instead of the runner reaching into each of them. Every event has a default that ignores it.
///
/// The end of the run is not an event: what is made from the whole run is a file output, a ``Reporter``.
protocol RunObserver: Sendable {
    /// A suite is about to run its cases.
    func suiteStarted(_ suite: SuiteStart)
    /// A case starts sending, `samples` times (twice its samples for a comparison).
    func caseStarted(_ name: String, samples: Int)
    /// One sample was sent and checked. Returns `true` when this observer keeps the exchange whole (an
    /// archive): the secrets of its response are then registered, since the observer will show them.
    func sampleDone(_ sample: SampleDone) -> Bool
    /// A case ended: passed, failed, errored or skipped.
    func caseFinished(_ result: CaseResult)
    /// A suite ended; its report, if it has its own, is at `reportPath`.
    func suiteFinished(_ result: SuiteResult, reportPath: String?)
}

extension RunObserver {
    func suiteStarted(_ suite: SuiteStart) {}
    func caseStarted(_ name: String, samples: Int) {}
    func sampleDone(_ sample: SampleDone) -> Bool { false }
    func caseFinished(_ result: CaseResult) {}
    func suiteFinished(_ result: SuiteResult, reportPath: String?) {}
}

/// The start of a suite, as observers are told it.
struct SuiteStart: Sendable {
    var name: String
    var file: String
    /// `embedded mock pitchpoint at http://127.0.0.1:40123`, or the live base URL.
    var target: String
    /// Warnings about the whole suite or run (`--insecure`, repetition refused).
    var warnings: [Finding]
    /// How many cases will run (or be skipped).
    var cases: Int
}

/// One sample, sent and checked.
struct SampleDone: Sendable {
    var exchange: Exchange
    /// When the request left.
    var started: Date
    var suite: String
    var testCase: String
    /// The comparison case the sample was taken for, if any.
    var comparison: String?
    /// What the checks made of this sample alone.
    var result: CaseResult
}

/// Every observer of a run, told each event in turn.
struct RunObservers: RunObserver {
    var all: [any RunObserver]

    init(_ all: [any RunObserver] = []) {
        self.all = all
    }

    func suiteStarted(_ suite: SuiteStart) {
        for observer in all { observer.suiteStarted(suite) }
    }

    func caseStarted(_ name: String, samples: Int) {
        for observer in all { observer.caseStarted(name, samples: samples) }
    }

    /// `true` when any observer keeps the exchange; every observer is told, whatever the others answer.
    func sampleDone(_ sample: SampleDone) -> Bool {
        var kept = false
        for observer in all where observer.sampleDone(sample) { kept = true }
        return kept
    }

    func caseFinished(_ result: CaseResult) {
        for observer in all { observer.caseFinished(result) }
    }

    func suiteFinished(_ result: SuiteResult, reportPath: String?) {
        for observer in all { observer.suiteFinished(result, reportPath: reportPath) }
    }
}
