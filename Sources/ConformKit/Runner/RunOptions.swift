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
    /// `NAME=VALUE` overrides of suite variables.
    public var variables: [String] = []
    /// A deviation for the embedded mock (conform's own diagnostics tests).
    public var mockDeviation: String?
    /// A fixed delay before every response of the embedded mock, in milliseconds.
    public var mockDelayMilliseconds: Double = 0
    public var maxBodyBytes = ConformDefaults.maxResponseBodyBytes
    /// `--repeat` and `--concurrency`: samples per case, and how many at a time.
    public var repeatCount: Int?
    public var concurrency: Int?
    public var verbose = false

    public init(suitePaths: [String]) {
        self.suitePaths = suitePaths
    }
}
