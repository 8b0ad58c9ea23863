import ArgumentParser
import ConformKit
import ConformSupport

/// Time limits, repetition and load.
struct TimingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Per-request timeout.", valueName: "seconds"))
    var timeout: Double = ConformDefaults.requestTimeoutSeconds

    @Option(
        name: .customLong("max-time"),
        help: ArgumentHelp(
            "Stop the whole run after this long: cases cut short are errors, the rest skipped.", valueName: "seconds"))
    var maxTime: Double?

    @Option(
        name: .customLong("max-case-time"),
        help: ArgumentHelp("Stop sampling a case (repeats, comparisons) after this long.", valueName: "seconds"))
    var maxCaseTime: Double = ConformDefaults.caseTimeSeconds

    @Option(
        name: .customLong("repeat"),
        help: ArgumentHelp("Send every case n times and report latency percentiles.", valueName: "n"))
    var repeatCount: Int?

    @Option(help: ArgumentHelp("Send up to n samples of a case at a time.", valueName: "n"))
    var concurrency: Int?

    @Option(
        name: .customLong("rate"),
        help: ArgumentHelp(
            "Send at most n requests a second over the whole run, evenly spaced (a 429 is reported, never retried).",
            valueName: "n"))
    var rate: Double?

    @Flag(
        name: .customLong("repeat-secrets"),
        help: "Repeat cases that send a secret though the suite does not declare them repeat_safe (one warning).")
    var repeatSecrets = false

    @Option(name: .customLong("max-body"), help: ArgumentHelp("Largest response body read.", valueName: "bytes"))
    var maxBody: Int = ConformDefaults.maxResponseBodyBytes

    @Flag(
        name: .customLong("fail-fast"),
        help: "Stop after the first failed or errored case; the rest are skipped and the reports still written.")
    var failFast = false

    func apply(to options: inout RunOptions) {
        options.failFast = failFast
        options.timeoutSeconds = timeout
        options.maxTimeSeconds = maxTime
        options.maxCaseTimeSeconds = maxCaseTime
        options.repeatCount = repeatCount
        options.concurrency = concurrency
        options.requestsPerSecond = rate
        options.repeatSecrets = repeatSecrets
        options.maxBodyBytes = maxBody
    }
}
