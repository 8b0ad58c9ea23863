import Foundation
import NIOHTTP1
import Testing

@testable import ConformJSON
@testable import ConformKit

/// A hostile endpoint that echoes every credential it receives into every place a server can put text,
/// in every spelling conform claims to mask. No output may show any of them: console, standard error,
/// JUnit, HTML, JSON results, GitHub annotations and step summary.
@Suite(.temporaryDirectories) struct EchoedSecretsTests {
    /// Credentials with characters that every encoding spells differently.
    static let refreshToken = "rt+Echo/Secret=1&x"
    static let password = "pw-é<cho>\"pass"

    /// Where the echo goes, and how it is spelt.
    enum Placement: String, CaseIterable, Sendable {
        case description, unicodeEscapes, characterReferences, cdataCommentAttributePrefix, reasonPhrase
        case contentTypeParameter, location, notUTF8, issuedInABrokenBody, workflowCommands

        func response(echoing secrets: [String]) -> MockResponse {
            let raw = secrets.joined(separator: " ")
            switch self {
            case .description:
                return .json(#"{"error":"invalid_grant","error_description":"got \#(Self.json(raw))"}"#)
            case .unicodeEscapes:
                let escaped = raw.unicodeScalars.map { String(format: "\\u%04X", $0.value) }.joined()
                return .json(#"{"error":"invalid_grant","error_description":"got \#(escaped)"}"#)
            case .characterReferences:
                let references = raw.unicodeScalars.map { "&#\($0.value);" }.joined()
                return .full(
                    status: .badRequest, contentType: "application/xml",
                    body: Data("<Error><Message>\(references)</Message></Error>".utf8))
            case .cdataCommentAttributePrefix:
                let safe = XMLText.escaped(raw)
                return .full(
                    status: .badRequest, contentType: "application/xml",
                    body: Data(
                        "<e:Error xmlns:e=\"urn:e\" token=\"\(safe)\"><![CDATA[\(raw)]]><!-- \(raw) --><e:Token>\(safe)</e:Token></e:Error>"
                            .utf8))
            case .reasonPhrase:
                return .full(
                    status: .custom(code: 400, reasonPhrase: raw),
                    contentType: "text/plain", body: Data("bad".utf8))
            case .contentTypeParameter:
                return .full(status: .badRequest, contentType: "text/plain; echo=\(raw)", body: Data("bad".utf8))
            case .location:
                let path = raw.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                return .full(
                    status: .found, contentType: nil, body: Data(),
                    extraHeaders: [("Location", "https://elsewhere.invalid/cb/\(path)?state=\(path)")])
            case .notUTF8:
                return .full(
                    status: .badRequest, contentType: "application/json",
                    body: Data([0xFF, 0xFE]) + Data(#"{"e":"\#(Self.json(raw))"}"#.utf8))
            case .issuedInABrokenBody:
                // Tokens the endpoint issued, in a body cut short: only their names tell what they are.
                return .full(
                    status: .ok, contentType: "application/json",
                    body: Data(#"{"access_token":"issued-ACCESS-0123456789","refresh_token":"issued-REFRESH-987"#.utf8))
            case .workflowCommands:
                // Real line breaks and a real escape sequence, as a hostile server would send them.
                return .full(
                    status: .badRequest, contentType: "text/plain",
                    body: Data("oops\n::add-mask::\(raw)\n  ::error::pwned\n\u{1B}[2J".utf8))
            }
        }

        /// What the output must show in place of the echo, so that the test cannot pass by showing nothing.
        var masked: String {
            switch self {
            case .description, .unicodeEscapes: #"body: {"error":"invalid_grant","error_description":"got ***"}"#
            case .characterReferences: "body: <Error><Message>***</Message></Error>"
            case .cdataCommentAttributePrefix:
                #"body: <e:Error xmlns:e="urn:e" token="***"><![CDATA[***]]><!-- *** --><e:Token>***</e:Token></e:Error>"#
            case .reasonPhrase: "response: 400 ***, text/plain"
            case .contentTypeParameter: "response: 400 Bad Request, text/plain; echo=***, 3 bytes"
            case .location: "location: https://elsewhere.invalid/cb/***?state=***"
            case .notUTF8: #"body: \x{FF}\x{FE}{"e":"***"}"#
            case .issuedInABrokenBody: "body: {\"access_token\":\"***\",\"refresh_token\":\"***\n"
            case .workflowCommands: #"body: oops\n::add-mask::***\n  ::error::pwned\n\u{1B}[2J"#
            }
        }

        /// The forms the endpoint used, each of which must appear nowhere.
        func forms(of secret: String) -> [String] {
            let scalars = secret.unicodeScalars
            return [
                secret, Self.json(secret), XMLText.escaped(secret),
                scalars.map { String(format: "\\u%04X", $0.value) }.joined(),
                scalars.map { "&#\($0.value);" }.joined(),
                secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? secret,
            ]
        }

        static func json(_ text: String) -> String {
            text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        }
    }

    /// Answers every request with the echo of what it was sent.
    struct EchoEndpoint: MockEndpoint {
        var placement: Placement
        var credentials: MockCredentials { MockCredentials(entries: []) }
        var usesUpCredentials: Bool { false }

        func respond(to request: MockRequest) -> MockResponse {
            var received: [String] = []
            if case .object(let fields)? = JSONValue.decode(request.body) {
                for key in ["refresh_token", "password"] {
                    if case .string(let value)? = fields[key], !value.isEmpty { received.append(value) }
                }
            }
            return placement.response(echoing: received.isEmpty ? ["nothing"] : received)
        }
    }

    @Test(arguments: Placement.allCases)
    func noOutputShowsAnEchoedSecret(placement: Placement) async throws {
        let server = try await MockServer.start(EchoEndpoint(placement: placement), configuration: MockConfiguration())
        let folder = TestPaths.temporaryDirectory()
        let summary = folder.appendingPathComponent("summary.md")
        let html = folder.appendingPathComponent("report.html")
        let outcome = await runConform(
            [TestPaths.suite("pitchpoint.json")],
            arguments: {
                $0.baseURL = server.baseURL.absoluteString
                $0.format = .json
                $0.htmlReportPath = html.path
            },
            environment: [
                "PITCHPOINT_REFRESH_TOKEN": Self.refreshToken, "PITCHPOINT_USERNAME": "user@example.com",
                "PITCHPOINT_PASSWORD": Self.password, "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary.path,
            ])
        await server.stop()
        #expect(outcome.status == .failed)
        let outputs = [
            ("JSON results", outcome.stdout), ("console", outcome.stderr), ("JUnit", outcome.reportText),
            ("HTML", try String(contentsOf: html, encoding: .utf8)),
            ("step summary", try String(contentsOf: summary, encoding: .utf8)),
        ]
        let secrets = [Self.refreshToken, Self.password, "issued-ACCESS-0123456789", "issued-REFRESH-987"]
        for (name, text) in outputs {
            for secret in secrets {
                for form in placement.forms(of: secret) + [String(secret.prefix(8))] {
                    #expect(!text.contains(form), "\(name) shows \(form.prefix(6))…")
                }
            }
        }
        #expect(outcome.stderr.contains(placement.masked), "the console does not show the masked echo")
        #expect(outcome.stderr.contains("::error file="), "no annotation was printed")
        let lines = outcome.stderr.split(separator: "\n")
        #expect(!lines.contains { $0.drop { $0 == " " }.hasPrefix("::") && !$0.hasPrefix("::error file=") })
        #expect(!outcome.stderr.contains("\u{1B}"))
    }

    /// A table cell of the step summary cannot hold a raw `|`: it is written as a character reference, which
    /// the masker reads, so that a secret with a `|` echoed in a failure message is still masked.
    @Test func aSecretWithAPipeIsMaskedInTheStepSummary() async throws {
        let password = "p|ssw0rd-long"
        let suite = TestPaths.writeSuite(
            """
            {
              "format": 1, "name": "pipe",
              "variables": { "password": { "value": "${env:PIPE_PASSWORD}", "secret": true } },
              "cases": [
                {
                  "name": "echoed password",
                  "request": { "method": "POST", "path": "/token", "json": { "password": "${password}" } },
                  "expect": { "status": "4xx", "fields": { "error_description": [{ "equals": "none" }] } }
                }
              ]
            }
            """)
        let server = try await MockServer.start(
            EchoEndpoint(placement: .description), configuration: MockConfiguration())
        let summary = TestPaths.temporaryDirectory().appendingPathComponent("summary.md")
        let outcome = await runConform(
            [suite], arguments: { $0.baseURL = server.baseURL.absoluteString },
            environment: ["PIPE_PASSWORD": password, "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary.path])
        await server.stop()
        #expect(outcome.status == .failed)
        let markdown = try String(contentsOf: summary, encoding: .utf8)
        #expect(!markdown.contains("ssw0rd-long"), "the step summary shows the secret")
        #expect(
            markdown.contains(
                "- **pipe › echoed password** (`\(suite):5`): field: error_description: expected \"none\", got string \"got ***\"\n"
            ))
    }
}

extension MockResponse {
    static func json(_ text: String) -> MockResponse {
        .full(status: .badRequest, contentType: "application/json", body: Data(text.utf8))
    }
}
