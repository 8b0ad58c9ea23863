import ArgumentParser
import ConformKit
import Foundation

struct MockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock",
        abstract: "Serve an embedded vendor mock until interrupted.",
        discussion: """
            Prints the base URL, then the credentials the mock accepts as NAME=VALUE lines, so that a script can \
            export them. Mocks: \(MockRegistry.names.joined(separator: ", ")).

            Example:
              conform mock oauth2 --port 8080 > mock.env &
              tail -n +2 mock.env > creds.env
              conform run suites/oauth2.json --var-file creds.env \\
                --base-url http://127.0.0.1:8080
            """)

    @Argument(
        help: ArgumentHelp("The mock to serve: \(MockRegistry.names.joined(separator: ", ")).", valueName: "mock"))
    var vendor: String?

    @Option(help: ArgumentHelp("Port to listen on (0 picks a free one).", valueName: "port"))
    var port: Int = 0

    @Option(help: ArgumentHelp("Address to listen on: IPv4, IPv6 (::1 or [::1]) or a host name.", valueName: "host"))
    var host: String = "127.0.0.1"

    @Option(
        help: ArgumentHelp(
            "Serve a deliberate deviation from the vendor's documented behaviour (see --list-deviations).",
            valueName: "name"))
    var deviation: String?

    @Option(name: .customLong("delay-ms"), help: ArgumentHelp("Wait this long before every response.", valueName: "ms"))
    var delayMilliseconds: Double = 0

    @Flag(help: "Serve HTTPS with a certificate made at start-up; prints CONFORM_MOCK_CACERT=PATH for --cacert.")
    var tls = false

    @Flag(name: .customLong("list-deviations"), help: "List the deviations and exit.")
    var listDeviations = false

    func run() async throws {
        if listDeviations {
            StandardStream.output.write(StandaloneMock.deviationList())
            return
        }
        guard let vendor else {
            throw ValidationError("name a mock: conform mock \(MockRegistry.names.joined(separator: "|"))")
        }
        var options = StandaloneMock.Options(vendor: vendor)
        options.port = port
        options.host = host
        options.deviation = deviation
        options.delayMilliseconds = delayMilliseconds
        options.tls = tls
        let status = await StandaloneMock.serve(
            options, output: StandardStream.output, diagnostics: DiagnosticPrinter.standardError)
        throw status.exitCode
    }
}
