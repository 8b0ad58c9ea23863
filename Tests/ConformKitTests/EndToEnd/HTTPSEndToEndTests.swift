import Foundation
import Testing

@testable import ConformKit

/// The shipped suites, run through the NIO transport against their embedded mocks served over HTTPS with a
/// certificate made at start-up and trusted exactly, without `--insecure`.
@Suite(.temporaryDirectories) struct HTTPSEndToEndTests {
    @Test(arguments: ["pitchpoint.json", "concur.json"])
    func shippedSuitesPassOverHTTPS(file: String) async throws {
        let mock = try #require(MockRegistry.named(String(file.dropLast(5))))
        let certificate = try MockCertificate.selfSigned()
        let configuration = MockConfiguration()
        let server = try await MockServer.start(
            mock.endpoint(configuration), configuration: configuration,
            tls: MockTLS(certificate: certificate))
        #expect(server.baseURL.absoluteString == "https://127.0.0.1:\(server.port)")
        var options = RunOptions(suitePaths: [TestPaths.suite(file)])
        options.baseURL = server.baseURL.absoluteString
        options.junitPath = TestPaths.temporaryDirectory().appendingPathComponent("report.xml").path
        let plan = try #require(
            try RunPlanner(options: options, environment: server.credentials.environment).plan().first)
        let secrets = SecretStore()
        for secret in plan.secretValues { secrets.add(secret.value) }
        let transport = try HTTPTransport(
            TransportConfiguration(
                tls: TLSClientOptions(additionalTrustRoots: [certificate.certificate], useSystemTrustRoots: false)))
        let runner = SuiteRunner(
            compiled: plan.compiled, cases: plan.cases, pulledIn: plan.pulledIn, baseURL: server.baseURL,
            targetDescription: "https mock", values: plan.values, transport: transport, secrets: secrets,
            repetition: Repetition())
        let result = await runner.run(console: ConsoleReporter(boundary: OutputBoundary(output: BufferedOutput(), errors: BufferedOutput())))
        await transport.shutdown()
        await server.stop()
        #expect(result.count(.failed) == 0)
        #expect(result.count(.errored) == 0)
        #expect(result.count(.passed) >= 5)
        let first = try #require(result.cases.first { $0.outcome == .passed })
        #expect(first.phaseMetrics.contains { $0.name == "tls_ms" })
    }
}
