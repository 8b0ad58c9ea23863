import ArgumentParser
import ConformKit
import Foundation

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run suites against their embedded mock or a live endpoint and write JUnit reports.",
        discussion: """
            Exit status: 0 every case passed or was skipped; 1 a case failed or had an error; 2 the invocation \
            or a suite is invalid, a required variable is unset, or a report cannot be written.
            """)

    @Argument(help: "Suite files (JSON, format 1).")
    var suites: [String] = []

    @Option(
        name: .customLong("base-url"), help: "Replace scheme, host and port of every request (the suite's paths stay).")
    var baseURL: String?

    @Flag(help: "Run against each suite's own base_url instead of its embedded mock.")
    var live = false

    @Option(help: "Write one report holding every suite here (default: reports/<suite>.xml each).")
    var junit: String?

    @Option(help: "Per-request timeout in seconds.")
    var timeout: Double = ConformDefaults.requestTimeoutSeconds

    @Option(name: .customLong("var"), help: ArgumentHelp("Set a suite variable.", valueName: "NAME=VALUE"))
    var variables: [String] = []

    @Option(
        name: .customLong("mock-deviation"),
        help: "Make the embedded mock deviate (see conform mock --list-deviations).")
    var mockDeviation: String?

    @Option(name: .customLong("mock-delay-ms"), help: "Delay every response of the embedded mock (timing tests).")
    var mockDelay: Double = 0

    @Option(name: .customLong("max-body"), help: "Largest response body read, in bytes.")
    var maxBody: Int = ConformDefaults.maxResponseBodyBytes

    @Option(name: .customLong("repeat"), help: "Send every case N times and report latency percentiles.")
    var repeatCount: Int?

    @Option(help: "Send up to C samples of a case at a time.")
    var concurrency: Int?

    @Flag(name: .shortAndLong, help: "Show the timing phases of every exchange.")
    var verbose = false

    func run() async throws {
        var options = RunOptions(suitePaths: suites)
        options.baseURL = baseURL
        options.live = live
        options.junitPath = junit
        options.timeoutSeconds = timeout
        options.variables = variables
        options.mockDeviation = mockDeviation
        options.mockDelayMilliseconds = mockDelay
        options.maxBodyBytes = maxBody
        options.verbose = verbose
        options.repeatCount = repeatCount
        options.concurrency = concurrency
        let status = await ConformRun.run(
            options, environment: ProcessInfo.processInfo.environment, output: StandardStream.output,
            errors: StandardStream.error)
        throw status.exitCode
    }
}
