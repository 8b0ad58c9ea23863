/// conform's command-line contract in one place: version, exit statuses, default paths and limits.
///
/// Other tools and CI scripts depend on these values; change them only with the README.
package enum ConformDefaults {
    /// The version printed by `conform --version` and written into every report.
    package static let version = "0.1.0"

    /// Per-request timeout when `--timeout` is not given.
    package static let requestTimeoutSeconds: Double = 10

    /// How long one case may sample (`--repeat`, comparisons) when `--max-case-time` is not given: sampling
    /// stops there and the report says how many samples were taken.
    package static let caseTimeSeconds: Double = 10

    /// A case that runs longer than this says so once when the console is not a terminal.
    package static let slowCaseNoticeSeconds: Double = 5

    /// Response bodies are read up to this many bytes; a longer body is an error, never decoded.
    package static let maxResponseBodyBytes = 1 << 20

    /// Folder for reports when `--junit` is not given: `reports/<suite file name>.xml`.
    package static let reportsDirectory = "reports"

    /// Latency budget for a case whose suite sets none.
    package static let latencyBudgetMilliseconds: Double = 2000

    /// The only suite format this version reads.
    package static let suiteFormatVersion = 1

    /// What a secret value is replaced with in every output.
    package static let redactionMask = "***"
}

/// The largest values conform accepts for its numeric options and suite settings: past them a value
/// makes no sense for a token endpoint and would only cost memory or overflow a clock.
package enum ConformLimits {
    /// `--timeout`, in seconds.
    package static let timeoutSeconds: Double = 3600
    /// `--mock-delay-ms` and `conform mock --delay-ms`.
    package static let mockDelayMilliseconds: Double = 600_000
    /// `--max-time` and `--max-case-time`, in seconds: a day.
    package static let runSeconds: Double = 86_400
    /// `--max-body`.
    package static let bodyBytes = 1 << 30
    /// `--repeat` and a case's `repeat`: samples of one case.
    package static let samples = 1_000_000
    /// `--concurrency` and a case's `concurrency`: samples in flight, each on its own connection.
    package static let concurrency = 1024
    /// `--rate`, in requests per second over the whole run.
    package static let requestsPerSecond: Double = 100_000

    /// "must be a number of seconds above 0 and at most 3600, got nan".
    package static func range(_ value: Double, above lower: Double, atMost upper: Double, _ unit: String) -> String? {
        value > lower && value <= upper && value.isFinite
            ? nil : "must be a number of \(unit) above \(MessageText.number(lower)) and at most \(MessageText.number(upper)), got \(MessageText.number(value))"
    }

    package static func range(_ value: Double, from lower: Double, atMost upper: Double, _ unit: String) -> String? {
        value >= lower && value <= upper && value.isFinite
            ? nil : "must be a number of \(unit) from \(MessageText.number(lower)) to \(MessageText.number(upper)), got \(MessageText.number(value))"
    }

    package static func range(_ value: Int, from lower: Int, atMost upper: Int) -> String? {
        (lower...upper).contains(value) ? nil : "must be from \(lower) to \(upper), got \(value)"
    }

}

/// The process exit statuses of `conform run`, `conform lint` and `conform merge`.
package enum ExitStatus: Int32, Sendable {
    /// Every case passed or was skipped.
    case passed = 0
    /// At least one case failed or had an error.
    case failed = 1
    /// The invocation or a suite file is invalid, a required variable is unset, or a report cannot be
    /// written. In the cases known before the run, nothing has been sent.
    case invalid = 2
    /// SIGINT (Ctrl-C) stopped the run; the reports were written.
    case interrupted = 130
    /// SIGTERM stopped the run; the reports were written.
    case terminated = 143
}
