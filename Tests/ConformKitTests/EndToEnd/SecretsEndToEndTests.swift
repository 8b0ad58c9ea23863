import Foundation
import Testing

@testable import ConformKit
@testable import conform
@testable import ConformSupport

/// Secret values (credentials, returned and captured tokens) never appear in the console, the report or
/// an error message, whatever the outcome.
@Suite(.temporaryDirectories) struct SecretsEndToEndTests {
    private func assertNoSecret(
        _ outcome: RunOutcome, _ mock: StartedMock, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        let secrets = mock.recorder.secrets
        #expect(secrets.count >= 2, "the mock handed out no secrets to look for", sourceLocation: sourceLocation)
        for secret in secrets {
            #expect(
                !outcome.everything.contains(secret), "a secret leaked: \(secret.prefix(8))…",
                sourceLocation: sourceLocation)
            #expect(
                !outcome.everything.contains(String(secret.prefix(12))), "the start of a secret leaked",
                sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [
        nil, "expires-in-string", "truncated-body", "missing-field", "wrong-content-type", "rotate-refresh-token",
        "jwt-expired", "jwt-bad-signature", "jwt-alg-none",
    ])
    func pitchpointRunsLeakNothing(deviation: String?) async throws {
        let (outcome, mock) = try await StartedMock.live(
            "pitchpoint", deviation: deviation, [TestPaths.suite("pitchpoint.json")])
        #expect(outcome.status == (deviation == nil ? .passed : .failed))
        #expect(mock.recorder.requestCount >= 7)
        assertNoSecret(outcome, mock)
    }

    @Test(arguments: [
        nil, "error-with-200", "truncated-document", "truncated-body", "json-instead-of-xml", "wrong-root", "huge-body",
    ])
    func concurRunsLeakNothingNotEvenInQueryStrings(deviation: String?) async throws {
        let (outcome, mock) = try await StartedMock.live(
            "concur", deviation: deviation, [TestPaths.suite("concur.json")])
        #expect(outcome.status == (deviation == nil ? .passed : .failed))
        assertNoSecret(outcome, mock)
        if deviation != nil {
            #expect(
                outcome.stdout.contains(
                    "request: GET \(mock.baseURL)/net2/oauth2/getaccesstoken.ashx?refresh_token=***&client_id=mock-client-"
                ))
            #expect(outcome.stdout.contains("&client_secret=***"))
        }
    }

    @Test func transportErrorsShowRedactedURLs() async throws {
        let environment = [
            "CONCUR_CLIENT_ID": "app", "CONCUR_CLIENT_SECRET": "cs-never-shown",
            "CONCUR_REFRESH_TOKEN": "rt-never-shown",
        ]
        let outcome = await runConform(
            [TestPaths.suite("concur.json")], arguments: { $0.baseURL = "http://127.0.0.1:1" }, environment: environment
        )
        #expect(outcome.status == .failed)
        #expect(outcome.stdout.contains("error [connection-refused]: connection refused by 127.0.0.1:1"))
        #expect(
            outcome.stdout.contains(
                "request: GET http://127.0.0.1:1/net2/oauth2/getaccesstoken.ashx?refresh_token=***&client_id=app&client_secret=***"
            ))
        #expect(!outcome.everything.contains("never-shown"))
    }

    @Test func redirectLocationsAreRedacted() async throws {
        let redirect = MockResponse.full(
            status: .found, contentType: nil, body: Data(),
            extraHeaders: [
                (
                    "Location",
                    "https://login.example.invalid/cb?client_secret=cs-from-elsewhere&refresh_token=rt-from-elsewhere&x=1"
                )
            ])
        let server = try await MockServer.start(FixedEndpoint(response: redirect), configuration: MockConfiguration())
        let environment = [
            "CONCUR_CLIENT_ID": "app", "CONCUR_CLIENT_SECRET": "cs-secret", "CONCUR_REFRESH_TOKEN": "rt-secret",
        ]
        let outcome = await runConform(
            [TestPaths.suite("concur.json")], arguments: { $0.baseURL = server.baseURL.absoluteString },
            environment: environment)
        await server.stop()
        #expect(outcome.stdout.contains("failure [status]: expected 200, got 302 (a redirect)"))
        #expect(
            outcome.stdout.contains(
                "location: https://login.example.invalid/cb?client_secret=***&refresh_token=***&x=1"))
        #expect(!outcome.everything.contains("from-elsewhere"))
    }

    @Test func secretVariablesPassedWithVarAreMasked() async throws {
        let mock = try await StartedMock.start("pitchpoint")
        let token = mock.environment["PITCHPOINT_REFRESH_TOKEN"]!
        let outcome = await runConform(
            [TestPaths.suite("pitchpoint.json")],
            arguments: {
                $0.baseURL = mock.baseURL
                $0.variables = ["refresh_token=\(token)", "latency_budget_ms=0.001"]
            })
        await mock.server.stop()
        #expect(outcome.status == .failed)
        assertNoSecret(outcome, mock)
    }

    /// A suite whose path is a plain variable followed by a secret one: the path does not start with '/'.
    private static let secretInAPath = """
        {
          "format": 1, "name": "s", "mock": "pitchpoint",
          "variables": {
            "prefix": { "value": "api" },
            "secret": { "value": "${env:PATH_SECRET}", "secret": true }
          },
          "cases": [
            { "name": "a", "request": { "method": "GET", "path": "${prefix}${secret}" }, "expect": { "status": 200 } }
          ]
        }
        """

    /// A plan-time error shows the template's value: the secret in it is masked wherever it stands, by
    /// `run` and by `lint` alike, before anything is sent.
    @Test func aPlanTimeErrorMasksASecretAfterAPlainVariable() async throws {
        let path = TestPaths.writeSuite(Self.secretInAPath)
        let environment = ["PATH_SECRET": "s3cret-path-value"]
        let expected = "\(path):4:5: error: the path ${prefix}${secret} is \"api***\"; a path starts with '/' (or is an http(s) URL)\n"
        let run = await runConform([path], environment: environment)
        #expect(run.status == .invalid)
        #expect(run.stderr == expected)
        let output = BufferedOutput()
        let errors = BufferedOutput()
        let lint = ConformLint.run(
            RunOptions(suitePaths: [path]), environment: environment, output: output, errors: errors, diagnostics: DiagnosticPrinter(output: errors))
        #expect(lint == .invalid)
        #expect(output.text == "")
        #expect(errors.text == expected)
    }

    /// `lint` registers the suite's secrets as `run` does, so it warns about a short one as `run` does.
    @Test func lintWarnsAboutAShortSecretLikeRun() async throws {
        let path = TestPaths.writeSuite(
            Self.secretInAPath.replacingOccurrences(of: "${prefix}${secret}", with: "/${secret}"))
        let environment = ["PATH_SECRET": "pin"]
        let warning =
            "conform: warning: the secret variable 'secret' is shorter than 6 characters: it is masked only where it stands as a whole value\n"
        let output = BufferedOutput()
        let errors = BufferedOutput()
        let lint = ConformLint.run(
            RunOptions(suitePaths: [path]), environment: environment, output: output, errors: errors, diagnostics: DiagnosticPrinter(output: errors))
        #expect(lint == .passed)
        #expect(errors.text == warning)
        #expect(output.text == "\(path): ok, 1 case against the embedded pitchpoint mock\n")
        let run = await runConform([path], environment: environment)
        #expect(run.stderr.hasPrefix(warning))
    }
}
