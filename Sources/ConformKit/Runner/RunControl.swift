import ConformJSON
import ConformSupport
import Foundation
import NIOConcurrencyHelpers

/// Why a run stops before its end, told to everything that sends: sampling loops start no new request,
/// the request in flight is cancelled, cases not reached are skipped. Reports are still written.
final class RunControl: WorkInterruption {
    /// What stopped the run.
    enum Interruption: Sendable, Equatable {
        /// SIGINT (Ctrl-C) or SIGTERM (a CI job's timeout).
        case signal(name: String, number: Int32)
        /// `--max-time` ran out.
        case maxTime(seconds: Double)

        /// "the run was interrupted by SIGINT", "--max-time 30 s ran out".
        var cause: String {
            switch self {
            case .signal(let name, _): "the run was interrupted by \(name)"
            case .maxTime(let seconds): "--max-time \(JSONValue.format(seconds)) s ran out"
            }
        }

        /// The exit status of a run this stopped, from the one its cases gave: 130 after SIGINT and 143 after
        /// SIGTERM (128 + the signal's number, as a shell reports a process the signal ended); after
        /// `--max-time`, a run whose cases all passed exits 1 all the same, since the cases it did not reach
        /// were not checked.
        func exitStatus(after status: ExitStatus) -> ExitStatus {
            switch self {
            case .signal(_, let number): number == SIGTERM ? .terminated : .interrupted
            case .maxTime: status == .passed ? .failed : status
            }
        }
    }

    private struct State {
        var interruption: Interruption?
        var failedFast: String?
        var onInterrupt: [@Sendable () -> Void] = []
        var signals = 0
    }

    private let state = NIOLockedValueBox(State())

    init() {}

    /// The first interruption wins; later ones change nothing.
    func interrupt(_ interruption: Interruption) {
        let actions = state.withLockedValue { state -> [@Sendable () -> Void] in
            guard state.interruption == nil else { return [] }
            state.interruption = interruption
            return state.onInterrupt
        }
        for action in actions { action() }
    }

    var interruption: Interruption? { state.withLockedValue { $0.interruption } }

    /// What stops a ``WorkDeadline`` that watches this run.
    var interruptionCause: String? { interruption?.cause }

    /// SIGINT or SIGTERM arrived. The first stops the run so that the reports are written; a second means
    /// now: `true` tells the caller to exit at once, without reports.
    func receivedSignal(name: String, number: Int32) -> Bool {
        let count = state.withLockedValue { state -> Int in
            state.signals += 1
            return state.signals
        }
        guard count == 1 else { return true }
        interrupt(.signal(name: name, number: number))
        return false
    }

    /// `--fail-fast`: the first failed or errored case stops the run; the cases after it, in this suite
    /// and the next, are skipped with the reason "not run: --fail-fast after 'CASE' failed". The first
    /// case to fail wins.
    func failFast(after name: String, _ outcome: CaseResult.Outcome) {
        let what = outcome == .errored ? "had an error" : "failed"
        state.withLockedValue { state in
            if state.failedFast == nil { state.failedFast = "--fail-fast after '\(name)' \(what)" }
        }
    }

    /// "--fail-fast after 'invalid refresh token is refused' failed", once a case has stopped the run.
    var failedFast: String? { state.withLockedValue { $0.failedFast } }

    /// Runs `action` when the run is interrupted (at once if it already is).
    func onInterrupt(_ action: @escaping @Sendable () -> Void) {
        let now = state.withLockedValue { state -> Bool in
            if state.interruption != nil { return true }
            state.onInterrupt.append(action)
            return false
        }
        if now { action() }
    }
}
