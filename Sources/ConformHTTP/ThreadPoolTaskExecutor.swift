import NIOPosix

/// Runs a task's jobs on a NIO thread pool: CPU work such as the verification of a server's certificates
/// then holds neither an event loop (whose timers, cancellations and other connections must go on) nor a
/// thread of Swift's shared pool (which the checks of other samples use).
@available(macOS 15.0, *)
final class ThreadPoolTaskExecutor: TaskExecutor {
    private let pool: NIOThreadPool

    init(_ pool: NIOThreadPool) {
        self.pool = pool
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        pool.submit { _ in job.runSynchronously(on: executor) }
    }
}
