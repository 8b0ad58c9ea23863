import Foundation
import Testing

/// The real `conform` binary, run as a child process.
enum ConformBinary {
    static var url: URL {
        // The test bundle sits beside the executable in the build folder.
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return bundle.appendingPathComponent("conform")
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(
        _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:], ulimit: String? = nil
    ) async throws -> Result {
        let (process, output, errors) = try launch(arguments, in: directory, environment: environment, ulimit: ulimit)
        return await collect(process, output: output, errors: errors)
    }

    /// Reads a started process's standard output and error to their ends, then waits for its exit status.
    static func collect(_ process: Process, output: Pipe, errors: Pipe) async -> Result {
        let (outputReader, errorReader) = (output.fileHandleForReading, errors.fileHandleForReading)
        // Both pipes drain at once: a child that fills one while the other is read would never end.
        async let stdout = Blocking.run { outputReader.readDataToEndOfFile() }
        async let stderr = Blocking.run { errorReader.readDataToEndOfFile() }
        let (out, err) = await (stdout, stderr)
        let status = await Blocking.run {
            process.waitUntilExit()
            return process.terminationStatus
        }
        return Result(
            status: status, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }

    /// Starts conform with its standard output and error on two pipes, a minimal environment (PATH, no
    /// colours) plus `environment`; with `ulimit` (`-n 8`, `-Sn 64`), under those limits, set by bash before
    /// it becomes conform.
    static func launch(
        _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:], ulimit: String? = nil
    ) throws -> (Process, output: Pipe, errors: Pipe) {
        let process = Process()
        if let ulimit {
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", "ulimit \(ulimit) && exec \"$0\" \"$@\"", url.path] + arguments
        } else {
            process.executableURL = url
            process.arguments = arguments
        }
        process.currentDirectoryURL = directory
        process.environment = ["PATH": "/usr/bin:/bin", "NO_COLOR": "1"].merging(environment) { $1 }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        return (process, output, errors)
    }

    /// Starts a long-running command (the standalone mock) and returns once it has printed `count` lines
    /// (standard output and error together), or ended.
    static func start(_ arguments: [String], lines count: Int) async throws -> (Process, [String]) {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let reader = output.fileHandleForReading
        let text = await Blocking.run {
            var text = ""
            while text.split(separator: "\n").count < count {
                let data = reader.availableData
                if data.isEmpty { break }
                text += String(decoding: data, as: UTF8.self)
            }
            return text
        }
        return (process, text.split(separator: "\n").map(String.init))
    }

    /// Runs another tool (`prlimit`) to its end; its exit status.
    static func runTool(_ path: String, _ arguments: [String]) async throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        try process.run()
        return await Blocking.run {
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    /// Sends SIGINT (unless the process already ended) and waits for its exit status.
    static func finish(_ process: Process, interrupt: Bool = true) async -> Int32 {
        if interrupt, process.isRunning { process.interrupt() }
        return await Blocking.run {
            process.waitUntilExit()
            return process.terminationStatus
        }
    }
}

/// A console conform cannot write to, as a shell makes one: `>/dev/full`, `>&-`, or `| head` once head has
/// ended. Foundation's `Process` can do none of these, so the child is started with `posix_spawn`.
extension ConformBinary {
    enum Console: Sendable, CustomStringConvertible {
        /// A pipe the test reads to its end.
        case pipe
        /// `/dev/full`: every write fails with ENOSPC.
        case full
        /// Closed (`>&-`): the descriptor is not open at all.
        case closed
        /// A pipe whose reading end is closed before conform starts: every write fails with EPIPE (or, with
        /// SIGPIPE not ignored, kills the writer).
        case closedPipe

        var description: String {
            switch self {
            case .pipe: "a pipe"
            case .full: ">/dev/full"
            case .closed: ">&-"
            case .closedPipe: "| a reader that has gone"
            }
        }
    }

    /// Runs conform with its standard output and error as given; what a `.pipe` received is in the result.
    /// The status is the exit status, or 128 + the signal that ended conform (as a shell says).
    static func run(
        _ arguments: [String], output: Console, errors: Console = .pipe, environment: [String: String] = [:]
    ) async throws -> Result {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var parentEnds: [Int32] = []
        var readers: [Int32: Int32] = [:]
        defer { for descriptor in parentEnds { close(descriptor) } }
        for (target, console) in [(STDOUT_FILENO, output), (STDERR_FILENO, errors)] {
            switch console {
            case .full:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/full", O_WRONLY, 0)
            case .closed:
                posix_spawn_file_actions_addclose(&actions, target)
            case .pipe, .closedPipe:
                var ends: [Int32] = [-1, -1]
                try #require(pipe(&ends) == 0)
                // Not inherited by the children other tests start meanwhile (dup2 clears it on the copy).
                for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
                posix_spawn_file_actions_adddup2(&actions, ends[1], target)
                parentEnds.append(ends[1])
                if console == .pipe {
                    readers[target] = ends[0]
                } else {
                    close(ends[0])
                }
            }
        }
        let argv = ([url.path] + arguments).map { strdup($0) } + [nil]
        let variables = ["PATH": "/usr/bin:/bin", "NO_COLOR": "1"].merging(environment) { $1 }
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, url.path, &actions, nil, argv, envp)
        try #require(spawned == 0, "posix_spawn: \(String(cString: strerror(spawned)))")
        for descriptor in parentEnds { close(descriptor) }
        parentEnds = []
        let child = pid
        // Both pipes drain at once: a child that fills one while the other is read would never end.
        let outputReader = readers[STDOUT_FILENO].map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) }
        let errorReader = readers[STDERR_FILENO].map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) }
        async let stdout = Blocking.run { outputReader?.readDataToEndOfFile() ?? Data() }
        async let stderr = Blocking.run { errorReader?.readDataToEndOfFile() ?? Data() }
        let (out, err) = await (stdout, stderr)
        let status = await Blocking.run { () -> Int32 in
            var status: Int32 = 0
            while waitpid(child, &status, 0) < 0 && errno == EINTR {}
            let signal = status & 0x7F
            return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        }
        return Result(
            status: status, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }
}
