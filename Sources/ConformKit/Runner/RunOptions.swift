/// What `conform run` was asked to do, as the command line parsed it.
public struct RunOptions: Sendable {
    public var suitePaths: [String]
    /// Replaces scheme, host and port of every request; the suite's paths stay.
    public var baseURL: String?
    /// Run against each suite's own `base_url` instead of its embedded mock.
    public var live = false
    /// One report holding every suite, instead of `reports/<suite>.xml` each.
    public var junitPath: String?
    public var timeoutSeconds = ConformDefaults.requestTimeoutSeconds
    /// `--max-time`: a bound on the whole run; cases cut short are errors, cases not reached are skipped.
    public var maxTimeSeconds: Double?
    /// `--max-case-time`: how long one case may sample (repeats and comparisons).
    public var maxCaseTimeSeconds = ConformDefaults.caseTimeSeconds
    /// SIGINT and SIGTERM stop the run and the reports are written (the command line; tests send no signals).
    public var handlesSignals = false
    /// `NAME=VALUE` overrides of suite variables.
    public var variables: [String] = []
    /// `--var-file`: dotenv files of suite variables' values, below `--var`; a later file wins.
    public var variableFiles: [String] = []
    /// A deviation for the embedded mock (conform's own diagnostics tests).
    public var mockDeviation: String?
    /// A fixed delay before every response of the embedded mock, in milliseconds.
    public var mockDelayMilliseconds: Double = 0
    public var maxBodyBytes = ConformDefaults.maxResponseBodyBytes
    /// `--repeat` and `--concurrency`: samples per case, and how many at a time.
    public var repeatCount: Int?
    public var concurrency: Int?
    /// `--repeat-secrets`: repeat cases that send a secret though they are not `repeat_safe`.
    public var repeatSecrets = false
    /// `--rate`: at most this many requests a second over the whole run.
    public var requestsPerSecond: Double?
    /// `--fail-fast`: stop after the first failed or errored case; the rest are skipped.
    public var failFast = false
    public var verbose = false
    /// `--format json`: the results as JSON on standard output; the console goes to standard error.
    public var format: OutputFormat = .text
    /// `--report-html PATH`: one self-contained HTML page.
    public var htmlReportPath: String?
    /// `--filter`, `--tag`, `--skip-tag`: which cases run.
    public var filter: String?
    public var tags: [String] = []
    public var skipTags: [String] = []
    /// `--baseline PATH`: failures recorded there are known deviations.
    public var baselinePath: String?
    /// `--write-baseline PATH`: record this run's failures and errors there.
    public var writeBaselinePath: String?
    /// `--cacert PATH` (repeatable): PEM bundles trusted on top of the system's roots (and `SSL_CERT_FILE`).
    public var caCertificatePaths: [String] = []
    /// `--insecure`: server certificates are not verified; every output says so.
    public var insecure = false
    /// `--cert` and `--key`: a client certificate for mutual TLS (RFC 8705).
    public var clientCertificatePath: String?
    public var clientKeyPath: String?
    /// `--proxy URL`: every request through this proxy, instead of `HTTPS_PROXY`/`HTTP_PROXY`.
    public var proxy: String?
    /// `--mock-tls`: the embedded mocks speak HTTPS with a certificate made at start-up, trusted by this run.
    public var mockTLS = false
    /// `--har PATH`: every exchange of the run as HAR 1.2.
    public var harPath: String?
    /// `--shard I/N`, as given.
    public var shard: String?

    public init(suitePaths: [String]) {
        self.suitePaths = suitePaths
    }
}

/// What `conform run` writes on standard output.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// One line per case, then a summary per suite.
    case text
    /// ``JSONResults``; the console lines go to standard error.
    case json
}

extension RunOptions {
    /// The client's TLS settings: the system's roots or `SSL_CERT_FILE`, `--cacert`, `--insecure`, `--cert`
    /// and `--key`.
    func tlsOptions(environment: [String: String]) -> TLSClientOptions {
        TLSClientOptions(
            caCertificatePaths: caCertificatePaths, insecure: insecure, clientCertificatePath: clientCertificatePath,
            clientKeyPath: clientKeyPath, environment: environment)
    }
}
