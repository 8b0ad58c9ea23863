/// conform's command-line contract in one place: version, exit statuses, default paths and limits.
///
/// Other tools and CI scripts depend on these values; change them only with the README.
public enum ConformDefaults {
    /// The version printed by `conform --version` and written into every report.
    public static let version = "0.1.0"

    /// Per-request timeout when `--timeout` is not given.
    public static let requestTimeoutSeconds: Double = 10

    /// Response bodies are read up to this many bytes; a longer body is an error, never decoded.
    public static let maxResponseBodyBytes = 1 << 20

    /// Folder for reports when `--junit` is not given: `reports/<suite file name>.xml`.
    public static let reportsDirectory = "reports"

    /// Latency budget for a case whose suite sets none.
    public static let latencyBudgetMilliseconds: Double = 2000

    /// The only suite format this version reads.
    public static let suiteFormatVersion = 1

    /// What a secret value is replaced with in every output.
    public static let redactionMask = "***"
}

/// The process exit statuses of `conform run`, `conform lint` and `conform merge`.
public enum ExitStatus: Int32, Sendable {
    /// Every case passed or was skipped.
    case passed = 0
    /// At least one case failed or had an error.
    case failed = 1
    /// The invocation or a suite file is invalid, a required variable is unset, or a report cannot be
    /// written. In the cases known before the run, nothing has been sent.
    case invalid = 2
}
