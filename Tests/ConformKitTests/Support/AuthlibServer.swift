import Foundation
import NIOConcurrencyHelpers
import Testing

/// Tests/authlib/server.py, a token endpoint built on Authlib and Flask, run as a child process:
///
///     let server = try await AuthlibServer.start(auth: "client_secret_post")
///     defer { server.stop() }
///     // server.baseURL, server.environment (OAUTH2_*), server.issuedTokens (read from its standard error)
///
/// The interpreter is `python3` on the PATH, or `CONFORM_PYTHON` when set (.ci/run sets it when only
/// Debian's python3 has Authlib). When Python, Authlib or Flask is missing, `start` throws with the reason
/// and the command that installs them: a test that needs the server fails, it never skips.
final class AuthlibServer: Sendable {
    /// The server printed these `NAME=VALUE` lines before `READY`.
    let values: [String: String]
    private let process: Process
    private let input: Pipe
    private let errorLog: URL

    static let script = TestPaths.packageRoot.appendingPathComponent("Tests/authlib/server.py").path
    /// Tests/authlib/oidc_server.py: an OpenID Provider's token side on the same client and token store.
    static let oidcScript = TestPaths.packageRoot.appendingPathComponent("Tests/authlib/oidc_server.py").path
    static let python = ProcessInfo.processInfo.environment["CONFORM_PYTHON"] ?? "python3"

    static func installHint(_ python: String) -> String {
        "install them with `\(python) -m pip install authlib flask` (as .ci/run does), or set CONFORM_PYTHON to an interpreter that has them"
    }

    private init(values: [String: String], process: Process, input: Pipe, errorLog: URL) {
        self.values = values
        self.process = process
        self.input = input
        self.errorLog = errorLog
    }

    var baseURL: String { values["CONFORM_BASE_URL"] ?? "" }
    /// The credentials as the environment a live run of suites/oauth2.json reads.
    var environment: [String: String] { values.filter { $0.key.hasPrefix("OAUTH2_") } }
    /// The credentials as the environment a live run of suites/oidc.json reads.
    var oidcEnvironment: [String: String] { values.filter { $0.key.hasPrefix("OIDC_") } }
    var clientID: String { values["OAUTH2_CLIENT_ID"] ?? "" }
    var clientSecret: String { values["OAUTH2_CLIENT_SECRET"] ?? "" }

    /// What the server wrote on standard error so far: Flask's own messages and an `issued NAME=VALUE` line
    /// for every token Authlib issued.
    var errorOutput: String { (try? String(contentsOf: errorLog, encoding: .utf8)) ?? "" }

    /// Every token the server issued (access and refresh), as it logged them: the test's own record of
    /// what must never appear in conform's outputs.
    var issuedTokens: [String] { logged("issued ") }

    /// Other secrets the server logged as `secret NAME=VALUE` (oidc_server.py: the client secret, the
    /// signing key's private exponent).
    var loggedSecrets: [String] { logged("secret ") }

    private func logged(_ prefix: String) -> [String] {
        errorOutput.split(separator: "\n").compactMap { line in
            guard line.hasPrefix(prefix), let equals = line.firstIndex(of: "=") else { return nil }
            return String(line[line.index(after: equals)...])
        }
    }

    /// Starts the server with the client registered for `auth` and waits for its `READY` line.
    /// `interpreter` is the command that runs Python, with its options.
    /// `splitClients`: grant types bound per client, the refresh token held by a second client
    /// (`OAUTH2_REFRESH_CLIENT_ID`, `OAUTH2_REFRESH_CLIENT_SECRET`).
    static func start(
        auth: String, splitClients: Bool = false, interpreter: [String] = [python], timeout: Duration = .seconds(30),
        script: String = script
    ) async throws -> AuthlibServer {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = interpreter + [script, "--auth", auth] + (splitClients ? ["--split-clients"] : [])
        let input = Pipe()
        let output = Pipe()
        let errorLog = TestPaths.temporaryDirectory().appendingPathComponent("authlib-server.stderr")
        _ = FileManager.default.createFile(atPath: errorLog.path, contents: nil)
        process.standardInput = input
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorLog)
        do {
            try process.run()
        } catch {
            throw AuthlibServerError(reason: "cannot run /usr/bin/env \(interpreter[0]): \(error)")
        }
        // A server that never says READY is ended, which ends the read below.
        let state = NIOLockedValueBox((ready: false, timedOut: false))
        let seconds = Double(timeout.components.seconds)
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
            let end = state.withLockedValue { state in
                state.timedOut = !state.ready
                return state.timedOut
            }
            if end { process.terminate() }
        }
        let reader = output.fileHandleForReading
        let text = await Blocking.run { readUntilReady(reader) }
        let timedOut = state.withLockedValue { state in
            state.ready = true
            return state.timedOut
        }
        let lines = text.split(separator: "\n").map(String.init)
        guard lines.last == "READY" else {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
            let stderr = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
            throw AuthlibServerError(
                reason: timedOut
                    ? "Tests/authlib/server.py did not print READY within \(Int(seconds)) s and was ended"
                    : diagnosis(status: process.terminationStatus, stderr: stderr, python: interpreter[0]))
        }
        var values: [String: String] = [:]
        for line in lines.dropLast() {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { values[parts[0]] = parts[1] }
        }
        return AuthlibServer(values: values, process: process, input: input, errorLog: errorLog)
    }

    /// Closes the server's standard input, on which it exits, and waits for it.
    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    private static func readUntilReady(_ handle: FileHandle) -> String {
        var text = ""
        while !text.hasSuffix("READY\n") {
            let data = handle.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        return text
    }

    /// Why the server did not start, in words a developer can act on.
    static func diagnosis(status: Int32, stderr: String, python: String) -> String {
        let excerpt = stderr.split(separator: "\n").suffix(3).joined(separator: " | ")
        if status == 127 {
            return
                "Python 3 is needed to run Tests/authlib/server.py and '\(python)' was not found (\(excerpt)); install python3, then Authlib and Flask: \(installHint(python))"
        }
        if let range = stderr.range(of: "No module named '[A-Za-z_.]+'", options: .regularExpression) {
            return
                "Authlib and Flask are needed to run Tests/authlib/server.py, and \(python) says: \(stderr[range]); \(installHint(python))"
        }
        return "Tests/authlib/server.py exited with status \(status) before READY: \(excerpt)"
    }
}

/// The Authlib server could not be started: the message says why and how to fix it.
struct AuthlibServerError: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
