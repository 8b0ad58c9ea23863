import Foundation

/// The console observes the run: a line per suite, per case, and a summary per suite.
extension ConsoleReporter: RunObserver {
    func suiteStarted(_ suite: SuiteStart) {
        suiteStarted(name: suite.name, file: suite.file, target: suite.target, warnings: suite.warnings)
    }
}
