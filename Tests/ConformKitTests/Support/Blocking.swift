import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#endif

/// Blocking work (a child process's pipes, `waitUntilExit`, a sleep) run on a thread of its own.
///
/// Swift concurrency runs every test on a pool as wide as the machine has cores (two in CI): a test that
/// blocks one of those threads for seconds stalls every other test, whose deadlines then pass while they
/// wait to be scheduled.
///
///     let text = await Blocking.run { handle.readDataToEndOfFile() }
enum Blocking {
    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
        }
    }

    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }
}

/// Reads a child's pipe to its end on a thread of its own, so that a test can wait for a line to appear
/// while the child runs and still get everything once it ends.
final class PipeReader: Sendable {
    private let buffer = NIOLockedValueBox((data: Data(), ended: false))

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread { [buffer] in
            while true {
                let data = handle.availableData
                buffer.withLockedValue { state in
                    if data.isEmpty { state.ended = true } else { state.data += data }
                }
                if data.isEmpty { break }
            }
        }.start()
    }

    /// The text read so far, and whether the pipe ended.
    var soFar: (text: String, ended: Bool) {
        buffer.withLockedValue { (String(decoding: $0.data, as: UTF8.self), $0.ended) }
    }

    /// Waits, blocking the calling thread, until one of `readers` has carried `text` (true), or all
    /// ended or `limit` passed (false).
    static func waitFor(_ text: String, in readers: [PipeReader], limit: Duration = .seconds(20)) -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            let states = readers.map(\.soFar)
            if states.contains(where: { $0.text.contains(text) }) { return true }
            if states.allSatisfy(\.ended) { return false }
            usleep(10_000)
        }
        return false
    }

    /// Everything the pipe carried, once it ended.
    func all() async throws -> String {
        while !buffer.withLockedValue({ $0.ended }) { try await Task.sleep(for: .milliseconds(10)) }
        return String(decoding: buffer.withLockedValue { $0.data }, as: UTF8.self)
    }
}

/// The sockets a test server holds open. Closing goes through here, under the same lock as
/// ``shutDownAll()``, so that a server that stops never shuts down a descriptor number the process has
/// since given to another test's connection (tests run in parallel, and numbers are reused at once).
final class OpenSockets: Sendable {
    private let state = NIOLockedValueBox((open: Set<Int32>(), stopped: false))

    /// Holds `socket` open; once stopped it is closed instead, and the answer is false.
    func add(_ socket: Int32) -> Bool {
        state.withLockedValue { state in
            if state.stopped {
                Glibc.close(socket)
                return false
            }
            state.open.insert(socket)
            return true
        }
    }

    /// Closes `socket` if it is still held (a second close is a no-op, never another socket's close).
    func close(_ socket: Int32) {
        state.withLockedValue { state in
            if state.open.remove(socket) != nil { Glibc.close(socket) }
        }
    }

    /// Shuts down every socket still held, which wakes the threads blocked on them; they close them.
    func shutDownAll() {
        state.withLockedValue { state in
            state.stopped = true
            for socket in state.open { shutdown(socket, Int32(SHUT_RDWR)) }
        }
    }
}
