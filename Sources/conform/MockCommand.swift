import ArgumentParser
import ConformKit
import Foundation

struct MockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock",
        abstract: "Serve an embedded vendor mock until interrupted.",
        discussion: """
            Prints the base URL, then the credentials the mock accepts as NAME=VALUE lines, so that a script can \
            export them.
            """)

    @Argument(help: "The vendor: pitchpoint or concur.")
    var vendor: String?

    @Option(help: "Port to listen on (0 picks a free one).")
    var port: Int = 0

    @Option(help: "Address to listen on: IPv4, IPv6 (::1 or [::1]) or a host name.")
    var host: String = "127.0.0.1"

    @Option(help: "Serve a deliberate deviation from the vendor's documented behaviour.")
    var deviation: String?

    @Option(name: .customLong("delay-ms"), help: "Wait this long before every response.")
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
            throw ValidationError("name a vendor: conform mock pitchpoint|concur")
        }
        var options = StandaloneMock.Options(vendor: vendor)
        options.port = port
        options.host = host
        options.deviation = deviation
        options.delayMilliseconds = delayMilliseconds
        options.tls = tls
        let status = await StandaloneMock.serve(options, output: StandardStream.output, errors: StandardStream.error)
        throw status.exitCode
    }
}
