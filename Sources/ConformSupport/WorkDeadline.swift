/// When synchronous CPU work must give up: a moment on the continuous clock (the case's time budget), an
/// interrupted run (SIGINT, SIGTERM, `--max-time`), or both.
///
/// Loading, compiling and checking are plain loops, not tasks: nothing can cancel them from outside. Each
/// loop that may run long asks ``stopReason()`` every few thousand steps (a clock read and a lock) and ends
/// with what it has when it gets an answer, so that no thread keeps burning CPU after the run has stopped.
///
///     let deadline = WorkDeadline(at: .now + .seconds(5), because: "the case's time budget of 5 s ran out")
///     if let reason = deadline.stopReason() { return .stopped(reason) }
package struct WorkDeadline: Sendable {
    /// Work that nothing stops (tests, `conform mock`): the work's own bounds still hold.
    package static let never = WorkDeadline()

    /// The moment past which the work stops, and what to say then.
    var instant: ContinuousClock.Instant?
    var reason: String
    /// The run whose interruption stops the work too.
    var control: (any WorkInterruption)?

    init(at instant: ContinuousClock.Instant? = nil, because reason: String = "its time ran out") {
        self.instant = instant
        self.reason = reason
    }

    package init(
        at instant: ContinuousClock.Instant? = nil, because reason: String = "its time ran out",
        control: (any WorkInterruption)?
    ) {
        self.instant = instant
        self.reason = reason
        self.control = control
    }

    /// The run's own deadline: stops when the run is interrupted, whatever the phase.
    package static func run(_ control: any WorkInterruption) -> WorkDeadline {
        WorkDeadline(control: control)
    }

    /// `nil` while the work may go on; else why it stops ("--max-time 20 s ran out").
    package func stopReason() -> String? {
        if let cause = control?.interruptionCause { return cause }
        if let instant, ContinuousClock.now >= instant { return reason }
        return nil
    }

    package var hasPassed: Bool { stopReason() != nil }
}

/// What stops all work from outside, whatever its deadline: the run, once interrupted. The runner's
/// `RunControl` is one; the regex engine and the schema validator, below the runner, see only this.
package protocol WorkInterruption: Sendable {
    /// `nil` while the run goes on; else why it stopped ("--max-time 20 s ran out").
    var interruptionCause: String? { get }
}

/// Work stopped by its ``WorkDeadline``, with the deadline's reason.
struct WorkStopped: Error, Sendable, Equatable, CustomStringConvertible {
    var reason: String

    init(reason: String) {
        self.reason = reason
    }

    var description: String { reason }
}

/// Asks a ``WorkDeadline`` once every `interval` steps, so that a tight loop pays for the clock and the lock
/// rarely.
package struct DeadlineCheck {
    let deadline: WorkDeadline
    let interval: Int
    private var countdown: Int

    package init(_ deadline: WorkDeadline, every interval: Int = 4096) {
        self.deadline = deadline
        self.interval = interval
        self.countdown = 0
    }

    /// Counts `steps`; every `interval` of them (and on the first call) asks the deadline.
    package mutating func stopReason(after steps: Int = 1) -> String? {
        countdown -= steps
        guard countdown <= 0 else { return nil }
        countdown = interval
        return deadline.stopReason()
    }
}
