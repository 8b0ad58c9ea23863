import ArgumentParser
import ConformKit

/// The options of `run`, which `lint` shares: lint accepts every option run does and makes every check run
/// makes before sending (an option that only shapes the output, such as `--format`, is checked and then
/// has nothing to shape).
struct RunArguments: ParsableArguments {
    @Argument(help: "Suite files (format 1): JSON, or YAML when the name ends in .yaml or .yml.")
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

    @Option(
        name: .customLong("max-time"),
        help: "Stop the whole run after this many seconds: cases cut short are errors, the rest skipped.")
    var maxTime: Double?

    @Option(
        name: .customLong("max-case-time"),
        help: "Stop sampling a case (repeats, comparisons) after this many seconds.")
    var maxCaseTime: Double = ConformDefaults.caseTimeSeconds

    @Option(name: .customLong("var"), help: ArgumentHelp("Set a suite variable.", valueName: "NAME=VALUE"))
    var variables: [String] = []

    @Option(
        name: .customLong("var-file"),
        help: ArgumentHelp(
            "Set suite variables from a dotenv file (repeatable; --var wins, then later files).", valueName: "PATH"))
    var variableFiles: [String] = []

    @Option(help: "Run only the cases whose names match this regular expression (and what they depend on).")
    var filter: String?

    @Option(name: .customLong("tag"), help: "Run only cases with this tag (repeatable).")
    var tags: [String] = []

    @Option(name: .customLong("skip-tag"), help: "Leave out cases with this tag (repeatable).")
    var skipTags: [String] = []

    @Option(help: ArgumentHelp("Run shard I of N; capture chains stay together.", valueName: "I/N"))
    var shard: String?

    @Option(name: .customLong("repeat"), help: "Send every case N times and report latency percentiles.")
    var repeatCount: Int?

    @Option(help: "Send up to C samples of a case at a time.")
    var concurrency: Int?

    @Option(name: .customLong("cacert"), help: ArgumentHelp("Also trust the CA certificates of this PEM bundle (repeatable).", valueName: "PATH"))
    var caCertificates: [String] = []

    @Flag(help: "Do not verify server certificates (every output says so).")
    var insecure = false

    @Option(name: .customLong("cert"), help: ArgumentHelp("Present this PEM client certificate (mutual TLS).", valueName: "PATH"))
    var clientCertificate: String?

    @Option(name: .customLong("key"), help: ArgumentHelp("The PEM private key of --cert.", valueName: "PATH"))
    var clientKey: String?

    @Option(help: ArgumentHelp("Send every request through this HTTP proxy (instead of HTTPS_PROXY/HTTP_PROXY).", valueName: "URL"))
    var proxy: String?

    @Flag(name: .customLong("mock-tls"), help: "Serve the embedded mocks over HTTPS with a certificate made at start-up.")
    var mockTLS = false

    @Option(name: .customLong("har"), help: ArgumentHelp("Write every exchange of the run as HAR 1.2.", valueName: "PATH"))
    var har: String?
    @Option(
        name: .customLong("rate"),
        help: ArgumentHelp(
            "Send at most N requests a second over the whole run, evenly spaced (a 429 is reported, never retried).",
            valueName: "N"))
    var rate: Double?

    @Flag(
        name: .customLong("fail-fast"),
        help: "Stop after the first failed or errored case; the rest are skipped and the reports still written.")
    var failFast = false

    @Flag(
        name: .customLong("repeat-secrets"),
        help: "Repeat cases that send a secret though the suite does not declare them repeat_safe (one warning).")
    var repeatSecrets = false

    @Option(help: "Report the failures recorded in this file as known deviations; fail on anything new.")
    var baseline: String?

    @Option(name: .customLong("write-baseline"), help: "Record this run's failures and errors in this file.")
    var writeBaseline: String?

    @Option(
        name: .customLong("mock-deviation"),
        help: "Make the embedded mock deviate (see conform mock --list-deviations).")
    var mockDeviation: String?

    @Option(name: .customLong("mock-delay-ms"), help: "Delay every response of the embedded mock (timing tests).")
    var mockDelay: Double = 0

    @Option(name: .customLong("max-body"), help: "Largest response body read, in bytes.")
    var maxBody: Int = ConformDefaults.maxResponseBodyBytes

    @Flag(name: .shortAndLong, help: "Show the timing phases of every case.")
    var verbose = false

    @Option(help: "text: one line per case; json: the results as JSON on standard output (console on standard error).")
    var format: OutputFormat = .text

    @Option(name: .customLong("report-html"), help: "Also write one self-contained HTML report here.")
    var reportHTML: String?

    var options: RunOptions {
        var options = RunOptions(suitePaths: suites)
        options.baseURL = baseURL
        options.live = live
        options.junitPath = junit
        options.timeoutSeconds = timeout
        options.maxTimeSeconds = maxTime
        options.maxCaseTimeSeconds = maxCaseTime
        options.variables = variables
        options.variableFiles = variableFiles
        options.filter = filter
        options.tags = tags
        options.skipTags = skipTags
        options.shard = shard
        options.repeatCount = repeatCount
        options.concurrency = concurrency
        options.repeatSecrets = repeatSecrets
        options.requestsPerSecond = rate
        options.failFast = failFast
        options.mockDeviation = mockDeviation
        options.baselinePath = baseline
        options.caCertificatePaths = caCertificates
        options.insecure = insecure
        options.clientCertificatePath = clientCertificate
        options.clientKeyPath = clientKey
        options.proxy = proxy
        options.mockTLS = mockTLS
        options.harPath = har
        options.writeBaselinePath = writeBaseline
        options.mockDelayMilliseconds = mockDelay
        options.maxBodyBytes = maxBody
        options.verbose = verbose
        options.format = format
        options.htmlReportPath = reportHTML
        return options
    }
}

extension OutputFormat: ExpressibleByArgument {}
