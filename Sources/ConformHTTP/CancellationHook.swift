import NIOConcurrencyHelpers
import NIOCore

/// What cancelling the calling task must do now: close the connection, fail a wait. Set and cleared as
/// the exchange moves on; a cancellation before an action is set runs it as soon as it is.
final class CancellationHook: Sendable {
    private struct State {
        var cancelled = false
        var action: (@Sendable () -> Void)?
    }

    private let state = NIOLockedValueBox(State())

    var isCancelled: Bool { state.withLockedValue { $0.cancelled } }

    func set(_ action: @escaping @Sendable () -> Void) {
        let runNow = state.withLockedValue { state -> Bool in
            state.action = action
            return state.cancelled
        }
        if runNow { action() }
    }

    func clear() {
        state.withLockedValue { $0.action = nil }
    }

    func cancel() {
        let action = state.withLockedValue { state -> (@Sendable () -> Void)? in
            state.cancelled = true
            return state.action
        }
        action?()
    }
}

/// Awaits a future that cannot itself be cancelled or bounded (a connect, a name resolution): the wait
/// ends at the deadline or on cancellation, and a value that comes later is discarded.
enum Awaiting {
    static func value<Value: Sendable>(
        of future: EventLoopFuture<Value>, hook: CancellationHook, deadline: NIODeadline, timeout: Double,
        discard: @escaping @Sendable (Value) -> Void
    ) async throws -> Value {
        let loop = future.eventLoop
        let promise = loop.makePromise(of: Value.self)
        let settled = NIOLockedValueBox(false)
        let claim: @Sendable () -> Bool = {
            settled.withLockedValue { done in
                defer { done = true }; return !done
            }
        }
        let timer = loop.scheduleTask(deadline: deadline) {
            if claim() { promise.fail(TransportFailure.timedOut(seconds: timeout)) }
        }
        future.whenComplete { result in
            timer.cancel()
            if claim() {
                promise.completeWith(result)
            } else if case .success(let value) = result {
                discard(value)
            }
        }
        hook.set { if claim() { promise.fail(TransportFailure.cancelled) } }
        defer { hook.clear() }
        return try await promise.futureResult.get()
    }
}
