import ConformSupport
import NIOConcurrencyHelpers

/// `--rate N`: at most N requests a second over the whole run, evenly spaced. Every request, of every
/// sample, case and suite, takes the next free slot, 1/N s after the one before; a request that comes
/// later than its slot goes at once and the spacing counts from it.
///
/// Politeness only: a 429 or 503 from the endpoint is reported as it is, and conform neither waits nor
/// retries (``StatusCheck``).
package final class RequestPacer: Sendable {
    let interval: Duration
    private let next = NIOLockedValueBox<ContinuousClock.Instant?>(nil)

    /// `rate` above 0 (checked with the other options); a rate below one request a day is one a day.
    package init(perSecond rate: Double) {
        let seconds = min(1 / rate, ConformLimits.runSeconds)
        interval = .nanoseconds(Int64((seconds * 1e9).rounded()))
    }

    /// Takes the first free slot at or after `now`; `nil`, taking nothing, when that slot lies after
    /// `deadline`.
    func reserve(
        at now: ContinuousClock.Instant, notAfter deadline: ContinuousClock.Instant? = nil
    ) -> ContinuousClock.Instant? {
        next.withLockedValue { next in
            let slot = max(now, next ?? now)
            if let deadline, slot > deadline { return nil }
            next = slot + interval
            return slot
        }
    }

    /// Waits for the next slot. `false` when the slot lies after `deadline` or the task was cancelled
    /// while waiting: the request is not sent then.
    package func admit(notAfter deadline: ContinuousClock.Instant? = nil) async -> Bool {
        let clock = ContinuousClock()
        guard let slot = reserve(at: clock.now, notAfter: deadline) else { return false }
        do {
            try await Task.sleep(until: slot, clock: clock)
        } catch {
            return false
        }
        return true
    }
}
