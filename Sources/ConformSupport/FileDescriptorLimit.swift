import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The process's limit on open file descriptors (`RLIMIT_NOFILE`, `ulimit -n`), which every connection,
/// event loop and report file counts against.
///
/// The common soft limit of 1024 is far below what `--concurrency 1024` needs, and a process that reaches
/// it cannot open a socket: the endpoint would be blamed for conform's own limit. So the command line
/// raises the soft limit to the hard limit at start (``raiseToHardLimit()``, as Go's runtime does), a run
/// whose concurrency the limit cannot carry is refused before anything is sent (``shortfall(connectionDescriptors:eventLoops:open:limit:)``),
/// and a socket that cannot be opened anyway is named as conform's limit
/// (``TransportFailure/outOfFileDescriptors(limit:)``).
package enum FileDescriptorLimit {
    /// Descriptors kept for what a run opens besides its connections and event loops: a report being
    /// written, a schema being read, the signal watcher's, the standard streams' duplicates.
    static let reserve = 32
    /// Each of NIO's event loops holds an epoll descriptor, an eventfd and a timerfd.
    static let perEventLoop = 3

    /// Raises the soft limit to the hard limit; the soft limit now in force. A hard limit of "unlimited"
    /// (macOS) is not a value the soft limit can take: there the soft limit goes to `OPEN_MAX` at most.
    @discardableResult
    package static func raiseToHardLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Self.resource, &limit) == 0 else { return current }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Self.resource, &raised) != 0 {
                #if os(macOS)
                    raised.rlim_cur = min(limit.rlim_max, rlim_t(OPEN_MAX))
                    _ = setrlimit(Self.resource, &raised)
                #endif
            }
        }
        return current
    }

    /// The soft limit now in force; `Int.max` when unlimited.
    package static var current: Int {
        var limit = rlimit()
        guard getrlimit(Self.resource, &limit) == 0 else { return Int.max }
        // RLIM_INFINITY is all ones, past Int.max.
        return limit.rlim_cur > rlim_t(Int.max) ? Int.max : Int(limit.rlim_cur)
    }

    /// Descriptors open now: the entries of `/proc/self/fd` (Linux), else the standard streams.
    static var openCount: Int {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return 3 }
        // The listing holds the descriptor of the folder being listed, closed since.
        return max(3, entries.count - 1)
    }

    /// What a run needs and may have.
    package struct Shortfall: Equatable {
        /// Descriptors the run may need at once.
        package var needed: Int
        /// The soft limit.
        package var limit: Int
    }

    /// The descriptors a run may need at once, when the limit is lower: `connectionDescriptors` (a socket
    /// per connection, and another for the embedded mock's side of it), three for each event loop, those
    /// open now, and ``reserve``.
    package static func shortfall(
        connectionDescriptors: Int, eventLoops: Int, open: Int = openCount, limit: Int = current
    ) -> Shortfall? {
        let needed = open + connectionDescriptors + eventLoops * perEventLoop + reserve
        return needed > limit ? Shortfall(needed: needed, limit: limit) : nil
    }

    #if os(Linux)
        private static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
        private static let resource = RLIMIT_NOFILE
    #endif
}
