import Foundation

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
