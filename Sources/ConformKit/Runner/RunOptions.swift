import ConformHTTP
import ConformSupport

/// What `conform run` was asked to do, as the command line parsed it.
package struct RunOptions: Sendable {
    var suitePaths: [String]
    /// Replaces scheme, host and port of every request; the suite's paths stay.
    package var baseURL: String?
    /// Run against each suite's own `base_url` instead of its embedded mock.
    package var live = false
    /// One report holding every suite, instead of `reports/<suite>.xml` each.
    package var junitPath: String?
    package var timeoutSeconds = ConformDefaults.requestTimeoutSeconds
    /// `--max-time`: a bound on the whole run; cases cut short are errors, cases not reached are skipped.
    package var maxTimeSeconds: Double?
    /// `--max-case-time`: how long one case may sample (repeats and comparisons).
    package var maxCaseTimeSeconds = ConformDefaults.caseTimeSeconds
    /// SIGINT and SIGTERM stop the run and the reports are written (the command line; tests send no signals).
    package var handlesSignals = false
    /// `NAME=VALUE` overrides of suite variables.
    package var variables: [String] = []
    /// `--var-file`: dotenv files of suite variables' values, below `--var`; a later file wins.
    package var variableFiles: [String] = []
    /// A deviation for the embedded mock (conform's own diagnostics tests).
    package var mockDeviation: String?
    /// A fixed delay before every response of the embedded mock, in milliseconds.
    package var mockDelayMilliseconds: Double = 0
    package var maxBodyBytes = ConformDefaults.maxResponseBodyBytes
    /// `--repeat` and `--concurrency`: samples per case, and how many at a time.
    package var repeatCount: Int?
    package var concurrency: Int?
    /// `--repeat-secrets`: repeat cases that send a secret though they are not `repeat_safe`.
    package var repeatSecrets = false
    /// `--rate`: at most this many requests a second over the whole run.
    package var requestsPerSecond: Double?
    /// `--fail-fast`: stop after the first failed or errored case; the rest are skipped.
    package var failFast = false
    package var verbose = false
    /// `--format json`: the results as JSON on standard output; the console goes to standard error.
    package var format: OutputFormat = .text
    /// `--report-html PATH`: one self-contained HTML page.
    package var htmlReportPath: String?
    /// `--filter`, `--tag`, `--skip-tag`: which cases run.
    package var filter: String?
    package var tags: [String] = []
    package var skipTags: [String] = []
    /// `--baseline PATH`: failures recorded there are known deviations.
    package var baselinePath: String?
    /// `--write-baseline PATH`: record this run's failures and errors there.
    package var writeBaselinePath: String?
    /// `--cacert PATH` (repeatable): PEM bundles trusted on top of the system's roots (and `SSL_CERT_FILE`).
    package var caCertificatePaths: [String] = []
    /// `--insecure`: server certificates are not verified; every output says so.
    package var insecure = false
    /// `--cert` and `--key`: a client certificate for mutual TLS (RFC 8705).
    package var clientCertificatePath: String?
    package var clientKeyPath: String?
    /// `--proxy URL`: every request through this proxy, instead of `HTTPS_PROXY`/`HTTP_PROXY`.
    package var proxy: String?
    /// `--mock-tls`: the embedded mocks speak HTTPS with a certificate made at start-up, trusted by this run.
    package var mockTLS = false
    /// `--har PATH`: every exchange of the run as HAR 1.2.
    package var harPath: String?
    /// `--shard I/N`, as given.
    package var shard: String?

    package init(suitePaths: [String]) {
        self.suitePaths = suitePaths
    }
}

/// What `conform run` writes on standard output.
package enum OutputFormat: String, Sendable, CaseIterable {
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
