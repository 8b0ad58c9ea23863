import Foundation
import Testing

@testable import ConformJSON
@testable import ConformKit

/// A hostile endpoint echoes a secret password in spellings conform used to print in clear: its other
/// Unicode normalisation form, with its control character (which conform escapes as `\u{1B}`), and
/// percent-encoded in a body that the excerpt cuts inside the echo. No output shows any of it: console,
/// JSON results, JUnit, HTML, HAR.
@Suite(.temporaryDirectories) struct SecretSpellingsEndToEndTests {
    /// NFC, with an ESC: every spelling below differs from it byte for byte.
    static let password = "p\u{E4}ssw\u{F6}rd\u{1B}[31m-Zq7Kx9Wv"

    struct SpellingEndpoint: MockEndpoint {
        var credentials: MockCredentials { MockCredentials(entries: []) }
        var usesUpCredentials: Bool { false }

        func respond(to request: MockRequest) -> MockResponse {
            guard case .object(let fields)? = JSONValue.decode(request.body),
                case .string(let password)? = fields["password"]
            else { return .json(#"{"error":"invalid_request"}"#) }
            let text: String
            switch request.path {
            case "/nfd": text = "got " + password.decomposedStringWithCanonicalMapping
            case "/control": text = "got " + password
            default:
                // 380 characters, then the echo: the 400-character excerpt ends inside "%C3%B6".
                let encoded = password.utf8.map { String(format: "%%%02X", $0) }.joined()
                text = String(repeating: "x", count: 380) + encoded
            }
            return .full(status: .badRequest, contentType: "text/plain", body: Data(text.utf8))
        }
    }

    @Test func noOutputShowsASecretInAnotherSpelling() async throws {
        let cases = ["nfd", "control", "cut"].map { name in
            #"{ "name": "\#(name)", "request": { "method": "POST", "path": "/\#(name)", "json": { "password": "${password}" } }, "expect": { "status": 200 } }"#
        }
        let suite = TestPaths.writeSuite(
            """
            {
              "format": 1, "name": "spellings",
              "variables": { "password": { "value": "${env:SPELL_PASSWORD}", "secret": true } },
              "cases": [\(cases.joined(separator: ",\n"))]
            }
            """)
        let server = try await MockServer.start(SpellingEndpoint(), configuration: MockConfiguration())
        let folder = TestPaths.temporaryDirectory()
        let html = folder.appendingPathComponent("report.html")
        let har = folder.appendingPathComponent("run.har")
        let outcome = await runConform(
            [suite],
            arguments: {
                $0.baseURL = server.baseURL.absoluteString
                $0.format = .json
                $0.htmlReportPath = html.path
                $0.harPath = har.path
            },
            environment: ["SPELL_PASSWORD": Self.password])
        await server.stop()
        #expect(outcome.status == .failed)
        let outputs = [
            ("JSON results", outcome.stdout), ("console", outcome.stderr), ("JUnit", outcome.reportText),
            ("HTML", try String(contentsOf: html, encoding: .utf8)),
            ("HAR", try String(contentsOf: har, encoding: .utf8)),
        ]
        // Compared by bytes: Swift's `contains` would also find canonically equivalent spellings.
        let forbidden = [
            "p\u{E4}ssw", "pa\u{308}ssw", "Zq7Kx9Wv", "%70%C3%A4%73%73%77", "p\\u00e4ssw", "p\\u00E4ssw",
        ]
        for (name, text) in outputs {
            for form in forbidden {
                #expect(!Data(text.utf8).contains(Data(form.utf8)), "\(name) shows \(form.debugDescription)")
            }
        }
        #expect(outcome.stderr.contains("body: got *** (46 bytes in all)") || outcome.stderr.contains("body: got ***"))
        #expect(outcome.stderr.contains("body: " + String(repeating: "x", count: 380) + "***…"))
    }
}

extension Data {
    /// `true` when these bytes hold `other` as a run of bytes.
    fileprivate func contains(_ other: Data) -> Bool { range(of: other) != nil }
}
