import ConformSupport
import Foundation
import NIOConcurrencyHelpers

/// Standard output or standard error, written unbuffered so that lines appear as cases finish.
///
/// Standard output is a report too (the console lines, `--format json`'s results): a write that fails
/// there (a full disk, `/dev/full`, a closed descriptor, a pipe whose reader has gone) is remembered, what
/// follows is dropped, and the command exits 2 once its work is done, saying why on standard error
/// (``finalStatus(_:)``). The run goes on meanwhile, so that its report files are still written. A
/// failed write to standard error is dropped the same way: there is nowhere left to say it.
package struct StandardStream: TextOutput {
    private let descriptor: Int32
    private let name: String
    private let state: NIOLockedValueBox<State>

    private struct State {
        /// The descriptor was closed when conform started: a stand-in holds its number (``claimDescriptors()``).
        var closed = false
        /// Why the first failed write failed.
        var failure: String?
    }

    package static let output = StandardStream(descriptor: STDOUT_FILENO, name: "standard output")
    package static let error = StandardStream(descriptor: STDERR_FILENO, name: "standard error")

    private init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
        self.state = NIOLockedValueBox(State())
    }

    package func write(_ text: String) {
        guard state.withLockedValue({ $0.failure == nil }) else { return }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if written > 0 {
                bytes = bytes.dropFirst(written)
                continue
            }
            let code = written < 0 ? errno : EIO
            if code == EINTR { continue }
            // A descriptor inherited in non-blocking mode: wait until it takes more, as a blocking one would.
            if code == EAGAIN || code == EWOULDBLOCK {
                var request = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                if poll(&request, 1, -1) >= 0 || errno == EINTR { continue }
            }
            state.withLockedValue { state in
                state.failure = state.closed && code == EBADF ? "it is closed" : String(cString: strerror(code))
            }
            return
        }
    }

    package var isTerminal: Bool { isatty(descriptor) == 1 }

    package var columns: Int? { TerminalWidth.columns(ofDescriptor: descriptor) }

    /// Why a write failed, if one did.
    var failure: String? { state.withLockedValue { $0.failure } }

    /// Called first thing: makes a failed write a failure that conform sees, whatever the descriptors are.
    ///
    /// - SIGPIPE is ignored: a write to a pipe whose reader has gone (`conform run … | head`) fails with
    ///   EPIPE like any other failed write, instead of ending conform at once, reports unwritten (SwiftNIO
    ///   ignores it too, but only once it opens a socket).
    /// - A standard descriptor that is closed (`>&-`) gets a stand-in: `/dev/null` opened for reading, on
    ///   which every write fails. Without it, the first file or socket conform opens would take the number
    ///   and receive the console's lines.
    package static func claimDescriptors() {
        signal(SIGPIPE, SIG_IGN)
        for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(descriptor, F_GETFD) < 0 {
            let standIn = open("/dev/null", O_RDONLY)
            if standIn >= 0, standIn != descriptor {
                dup2(standIn, descriptor)
                close(standIn)
            }
            for stream in [output, error] where stream.descriptor == descriptor {
                stream.state.withLockedValue { $0.closed = true }
            }
        }
    }

    /// Why a command that did its work must still exit 2: a write to standard output failed.
    package static var outputFailure: RunDiagnostic? {
        output.failure.map { .error("cannot write to standard output: \($0)") }
    }
}
