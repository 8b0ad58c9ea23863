import Foundation

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
