import NIOConcurrencyHelpers
import NIOCore

/// Keep-alive connections per (scheme, host, port, proxy), at most `limit` open at once for each; a
/// request beyond the limit waits, in order, for a connection to be released or closed.
///
/// A connection taken from the pool is checked on its event loop before anything is written
/// (``HTTPConnectionHandler/execute(_:parser:deadline:checkLiveness:)``): one the server closed meanwhile is
/// dropped and the next is taken, so a closed idle connection is never used.
final class ConnectionPool: Sendable {
    struct Key: Hashable, Sendable {
        var scheme: RequestTarget.Scheme
        var host: String
        var port: Int
        var proxy: ProxyConfiguration.Proxy?
    }

    enum Grant: Sendable {
        /// An idle keep-alive connection.
        case reuse(HTTPConnection)
        /// Room for a new connection: the caller opens it, then calls ``opened(_:)`` or ``openFailed(_:)``.
        case create
        case failed(TransportFailure)
    }

    private struct Waiter {
        var id: Int
        var continuation: CheckedContinuation<Grant, Never>
        var forceNew: Bool
        var timeout: Scheduled<Void>?
    }

    private struct Slot {
        var idle: [HTTPConnection] = []
        /// Connections open or being opened.
        var open = 0
        var waiters: [Waiter] = []
    }

    private struct State {
        var slots: [Key: Slot] = [:]
        var nextWaiter = 0
        var closed = false
    }

    private let state = NIOLockedValueBox(State())
    let limit: Int

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// A connection for `key`: an idle one, room for a new one, or a wait until one of those (bounded by
    /// `deadline`, cancelled with the task). `forceNew` never hands out an idle connection (a resend).
    func acquire(_ key: Key, forceNew: Bool, deadline: NIODeadline, loop: any EventLoop, timeout: Double) async -> Grant
    {
        var toClose: HTTPConnection?
        let immediate: Grant? = state.withLockedValue { state in
            if state.closed { return .failed(.cancelled) }
            let (grant, evicted) = Self.take(&state.slots[key, default: Slot()], limit: limit, forceNew: forceNew)
            toClose = evicted
            return grant
        }
        toClose?.close()
        if let immediate { return immediate }
        let id = state.withLockedValue { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Grant, Never>) in
                var evicted: HTTPConnection?
                let grant: Grant? = state.withLockedValue { state in
                    if Task.isCancelled { return .failed(.cancelled) }
                    let (grant, closing) = Self.take(
                        &state.slots[key, default: Slot()], limit: limit, forceNew: forceNew)
                    evicted = closing
                    if let grant { return grant }
                    let scheduled = loop.scheduleTask(deadline: deadline) { [self] in
                        resumeWaiter(key, id: id, with: .failed(.timedOut(seconds: timeout)))
                    }
                    state.slots[key, default: Slot()].waiters.append(
                        Waiter(id: id, continuation: continuation, forceNew: forceNew, timeout: scheduled))
                    return nil
                }
                evicted?.close()
                if let grant { continuation.resume(returning: grant) }
            }
        } onCancel: {
            resumeWaiter(key, id: id, with: .failed(.cancelled))
        }
    }

    private static func take(_ slot: inout Slot, limit: Int, forceNew: Bool) -> (Grant?, HTTPConnection?) {
        if !forceNew, let connection = slot.idle.popLast() { return (.reuse(connection), nil) }
        if slot.open < limit {
            slot.open += 1
            return (.create, nil)
        }
        if forceNew, let oldest = slot.idle.first {
            // At the limit with idle connections: one makes room for the new connection.
            // It still counts until its channel closes.
            slot.idle.removeFirst()
            slot.open += 1
            return (.create, oldest)
        }
        return (nil, nil)
    }

    private func resumeWaiter(_ key: Key, id: Int, with grant: Grant) {
        let waiter = state.withLockedValue { state -> Waiter? in
            guard let index = state.slots[key]?.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.slots[key]!.waiters.remove(at: index)
        }
        waiter?.timeout?.cancel()
        waiter?.continuation.resume(returning: grant)
    }

    /// A new connection is open; it counts towards the limit until it closes.
    func opened(_ connection: HTTPConnection) {
        connection.channel.closeFuture.whenComplete { [self] _ in closed(connection) }
    }

    /// Opening a new connection failed: its room goes to the next waiter.
    func openFailed(_ key: Key) {
        handOver(key) { $0.open -= 1 }
    }

    /// The exchange is over: the connection goes back to the pool (or to a waiter), or is closed.
    func release(_ connection: HTTPConnection, reusable: Bool) {
        guard reusable else {
            connection.close()
            return
        }
        var handed: (Waiter, Grant)?
        let closing = state.withLockedValue { state -> Bool in
            if state.closed { return true }
            var slot = state.slots[connection.key, default: Slot()]
            defer { state.slots[connection.key] = slot }
            if let index = slot.waiters.firstIndex(where: { !$0.forceNew }) {
                handed = (slot.waiters.remove(at: index), .reuse(connection))
            } else if let index = slot.waiters.firstIndex(where: \.forceNew) {
                // Only a resend waits, and it needs a new connection: this one makes room, as in `take`.
                handed = (slot.waiters.remove(at: index), .create)
                slot.open += 1
                return true
            } else {
                slot.idle.append(connection)
            }
            return false
        }
        if closing { connection.close() }
        if let (waiter, grant) = handed {
            waiter.timeout?.cancel()
            waiter.continuation.resume(returning: grant)
        }
    }

    /// The connection's channel closed: it leaves the idle list and its room goes to the next waiter.
    private func closed(_ connection: HTTPConnection) {
        handOver(connection.key) { slot in
            slot.open -= 1
            slot.idle.removeAll { $0 === connection }
        }
    }

    private func handOver(_ key: Key, _ change: (inout Slot) -> Void) {
        var handed: Waiter?
        state.withLockedValue { state in
            var slot = state.slots[key, default: Slot()]
            change(&slot)
            if slot.open < limit, !slot.waiters.isEmpty {
                handed = slot.waiters.removeFirst()
                slot.open += 1
            }
            state.slots[key] = slot
        }
        if let handed {
            handed.timeout?.cancel()
            handed.continuation.resume(returning: .create)
        }
    }

    /// Idle connections across every host (for tests that wait for a close to be noticed).
    var idleCount: Int { state.withLockedValue { $0.slots.values.reduce(0) { $0 + $1.idle.count } } }

    /// Closes every idle connection and fails every waiter.
    func shutdown() -> [HTTPConnection] {
        let (idle, waiters) = state.withLockedValue { state in
            state.closed = true
            let idle = state.slots.values.flatMap(\.idle)
            let waiters = state.slots.values.flatMap(\.waiters)
            for key in state.slots.keys {
                state.slots[key]!.idle = []
                state.slots[key]!.waiters = []
            }
            return (idle, waiters)
        }
        for waiter in waiters {
            waiter.timeout?.cancel()
            waiter.continuation.resume(returning: .failed(.cancelled))
        }
        return idle
    }
}
