import Foundation
import NIOConcurrencyHelpers

/// What the run is doing now: the suite, how many of its cases are done, the case in flight and its
/// samples. Read by the live progress line on a terminal, and by the one notice a slow case gets
/// elsewhere.
final class RunProgress: Sendable {
    struct Snapshot: Sendable {
        var suite = ""
        var casesDone = 0
        var casesTotal = 0
        var currentCase: String?
        var caseStarted: ContinuousClock.Instant?
        var samplesTaken = 0
        var samplesPlanned = 0
        /// The current case has had its "still running" notice.
        var noticed = false
    }

    private let state = NIOLockedValueBox(Snapshot())
    let runStarted = ContinuousClock.now

    var snapshot: Snapshot { state.withLockedValue { $0 } }

    func startSuite(_ name: String, cases: Int) {
        state.withLockedValue { $0 = Snapshot(suite: name, casesTotal: cases) }
    }

    func startCase(_ name: String, samples: Int) {
        let now = ContinuousClock.now
        state.withLockedValue {
            $0.currentCase = name
            $0.caseStarted = now
            $0.samplesTaken = 0
            $0.samplesPlanned = samples
            $0.noticed = false
        }
    }

    func sampleTaken() {
        state.withLockedValue { $0.samplesTaken += 1 }
    }

    func finishCase() {
        state.withLockedValue {
            $0.casesDone += 1
            $0.currentCase = nil
            $0.caseStarted = nil
        }
    }

    /// The line shown on a terminal: `pitchpoint [3/10] refresh with valid token: 1520/20000 samples,
    /// 3040/s, 12.3 s`.
    func line(now: ContinuousClock.Instant = .now) -> String {
        let snapshot = self.snapshot
        var line = "\(snapshot.suite) [\(snapshot.casesDone)/\(snapshot.casesTotal)]"
        if let name = snapshot.currentCase, let started = snapshot.caseStarted {
            line += " \(name)"
            if snapshot.samplesPlanned > 1 {
                let rate = Milliseconds.rate(samples: snapshot.samplesTaken, over: (now - started).milliseconds)
                    .map { " \($0)," } ?? ""
                line += ": \(snapshot.samplesTaken)/\(snapshot.samplesPlanned) samples,\(rate)"
            } else {
                line += ","
            }
        } else {
            line += ","
        }
        return line + " \(String(format: "%.1f", (now - runStarted).milliseconds / 1000)) s"
    }

    /// "… 'refresh' is still running after 5 s (1200 of 20000 samples)", once per case, when the case in
    /// flight has run longer than `after`.
    func slowCaseNotice(after: Duration, now: ContinuousClock.Instant = .now) -> String? {
        state.withLockedValue { snapshot in
            guard !snapshot.noticed, let name = snapshot.currentCase, let started = snapshot.caseStarted,
                now - started >= after
            else { return nil }
            snapshot.noticed = true
            let samples =
                snapshot.samplesPlanned > 1 ? " (\(snapshot.samplesTaken) of \(snapshot.samplesPlanned) samples)" : ""
            return "  … '\(name)' is still running after \(Int((now - started).milliseconds / 1000)) s\(samples)"
        }
    }
}
