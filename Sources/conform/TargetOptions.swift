import ArgumentParser
import ConformKit

/// Where requests go: the embedded mock (the default), `--base-url`, or each suite's own `base_url`.
struct TargetOptions: ParsableArguments {
    @Option(
        name: .customLong("base-url"),
        help: ArgumentHelp("Replace scheme, host and port of every request (the suite's paths stay).", valueName: "url")
    )
    var baseURL: String?

    @Flag(help: "Run against each suite's own base_url instead of its embedded mock.")
    var live = false

    @Flag(
        name: .customLong("mock-tls"), help: "Serve the embedded mocks over HTTPS with a certificate made at start-up.")
    var mockTLS = false

    @Option(
        name: .customLong("mock-deviation"),
        help: ArgumentHelp("Make the embedded mock deviate (see conform mock --list-deviations).", valueName: "name"))
    var mockDeviation: String?

    @Option(
        name: .customLong("mock-delay-ms"),
        help: ArgumentHelp("Delay every response of the embedded mock (timing tests).", valueName: "ms"))
    var mockDelay: Double = 0

    func apply(to options: inout RunOptions) {
        options.baseURL = baseURL
        options.live = live
        options.mockTLS = mockTLS
        options.mockDeviation = mockDeviation
        options.mockDelayMilliseconds = mockDelay
    }
}
