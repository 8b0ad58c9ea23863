import ConformSupport
import Foundation
import NIOPosix
import UnixSignals

/// `conform mock VENDOR`: serves a mock until interrupted, printing its base URL and then the credentials
/// it accepts as shell assignments, one a line, so that a script can export them. With `--tls` it serves
/// HTTPS with a certificate made at start-up and prints `CONFORM_MOCK_CACERT=PATH`, the certificate as
/// PEM for other clients (`curl --cacert`, `conform run --cacert`); the file goes when the mock stops.
package enum StandaloneMock {
    package struct Options: Sendable {
        var vendor: String
        package var host = "127.0.0.1"
        package var port = 0
        package var deviation: String?
        package var delayMilliseconds: Double = 0
        /// Serve HTTPS with a certificate made at start-up.
        package var tls = false

        package init(vendor: String) {
            self.vendor = vendor
        }
    }

    /// A diagnostic of `conform mock`, handed to the command line made safe for a terminal (the mock has no
    /// secrets of a run to mask).
    private static func report(_ diagnostic: RunDiagnostic, to diagnostics: any DiagnosticConsumer) {
        diagnostics.consume([diagnostic.mapTexts(TerminalText.neutralisedLines)])
    }

    package static func serve(
        _ options: Options, output: any TextOutput, diagnostics: any DiagnosticConsumer
    ) async -> ExitStatus {
        guard let mock = MockRegistry.named(options.vendor) else {
            let known = MockRegistry.names
            report(
                .error(
                    "unknown mock '\(options.vendor)'\(Suggestion.hint(for: options.vendor, in: known)) (known mocks: \(known.joined(separator: ", ")))"
                ), to: diagnostics)
            return .invalid
        }
        if let name = options.deviation, !mock.allDeviations.contains(where: { $0.name == name }) {
            report(
                .error("the \(mock.name) mock has no deviation '\(name)' (see conform mock --list-deviations)"),
                to: diagnostics)
            return .invalid
        }
        guard (0...65535).contains(options.port) else {
            report(.error("--port must be 0-65535, got \(options.port)"), to: diagnostics)
            return .invalid
        }
        if let range = ConformLimits.range(
            options.delayMilliseconds, from: 0, atMost: ConformLimits.mockDelayMilliseconds, "milliseconds")
        {
            report(.error("--delay-ms \(range)"), to: diagnostics)
            return .invalid
        }
        let configuration = MockConfiguration(
            deviation: options.deviation, delay: .nanoseconds(Int64(options.delayMilliseconds * 1e6)))
        let server: MockServer
        var certificatePath: String?
        do {
            var tls: MockTLS?
            if options.tls {
                let certificate = try MockCertificate.selfSigned()
                let path = FileManager.default.temporaryDirectory
                    .appendingPathComponent("conform-mock-\(ProcessInfo.processInfo.processIdentifier).pem").path
                try certificate.writePEM(to: path)
                certificatePath = path
                tls = MockTLS(certificate: certificate)
            }
            server = try await MockServer.start(
                mock.endpoint(configuration), configuration: configuration,
                host: options.host, port: options.port, tls: tls, group: MultiThreadedEventLoopGroup.singleton)
        } catch {
            if let certificatePath { try? FileManager.default.removeItem(atPath: certificatePath) }
            let host = MockServer.bare(options.host)
            let address = host.contains(":") ? "[\(host)]:\(options.port)" : "\(host):\(options.port)"
            report(.error("cannot listen on \(address): \(error)"), to: diagnostics)
            return .invalid
        }
        let lines =
            [server.baseURL.absoluteString] + server.credentials.shellAssignments
            + (certificatePath.map { ["CONFORM_MOCK_CACERT=\($0)"] } ?? [])
        output.write(lines.joined(separator: "\n") + "\n")
        await waitForInterrupt()
        await server.stop()
        if let certificatePath { try? FileManager.default.removeItem(atPath: certificatePath) }
        return .passed
    }

    /// The catalogue, for `conform mock --list-deviations`.
    package static func deviationList() -> String {
        MockRegistry.deviationList()
    }

    /// Waits for SIGINT or SIGTERM.
    static func waitForInterrupt() async {
        for await _ in await UnixSignalsSequence(trapping: .sigint, .sigterm) { return }
    }
}
