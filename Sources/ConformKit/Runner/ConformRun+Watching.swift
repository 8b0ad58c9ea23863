import ConformSupport
import Foundation
import UnixSignals

/// What runs beside the work of `conform run`: the watch for what stops it, from the first moment, and the
/// progress line or slow-case notice while cases run.
extension ConformRun {
    /// Watches SIGINT and SIGTERM (when the command line asks) and `--max-time`, from before the suites are
    /// loaded until cancelled: loading, compiling, sending and checking all stop on the first.
    static func watchInterruptions(_ control: RunControl, options: RunOptions) async {
        await withTaskGroup(of: Void.self) { group in
            if options.handlesSignals {
                group.addTask {
                    for await signal in await UnixSignalsSequence(trapping: .sigint, .sigterm) {
                        let number = signal == .sigterm ? SIGTERM : SIGINT
                        if control.receivedSignal(name: signal == .sigterm ? "SIGTERM" : "SIGINT", number: number) {
                            exit(128 + number)
                        }
                    }
                }
            }
            if let seconds = options.maxTimeSeconds {
                group.addTask {
                    try? await Task.sleep(for: .nanoseconds(Int64(seconds * 1e9)))
                    if !Task.isCancelled { control.interrupt(.maxTime(seconds: seconds)) }
                }
            }
            await group.waitForAll()
        }
    }

    /// Keeps the progress line (on a terminal) or the slow-case notice (elsewhere) going, until cancelled.
    static func watchProgress(_ progress: RunProgress, boundary: OutputBoundary, stream: OutputBoundary.Stream) async {
        let terminal = boundary.isTerminal(stream)
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(terminal ? 200 : 500))
            if Task.isCancelled { break }
            if terminal {
                boundary.progress(progress.line(), to: stream)
            } else if let notice = progress.slowCaseNotice(after: .seconds(ConformDefaults.slowCaseNoticeSeconds)) {
                boundary.print(notice, to: stream)
            }
        }
    }

    /// Runs synchronous work (loading and compiling the suites) on a thread of its own, with the main
    /// thread's stack size: Swift's shared pool stays free for the watch, which may then stop the work
    /// through its ``WorkDeadline``, even on a machine with one core.
    static func onOwnThread<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async -> Value {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: work()) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
