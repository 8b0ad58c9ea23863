import Foundation
import Testing

@testable import ConformHTTP
@testable import ConformKit

/// Shared blocks, client authentication, `requires`, optional captures: the suite format that RFC 6749
/// profiles need.
@Suite(.temporaryDirectories) struct SuiteBlocksAndAuthTests {
    private func load(_ text: String) throws -> ConformKit.Suite { try TestPaths.loadSuite(text) }

    private func diagnostics(_ text: String) -> [String] { TestPaths.suiteDiagnostics(text) }

    private static let blocks = """
        {
          "format": 1, "name": "s", "mock": "pitchpoint",
          "variables": { "id": { "value": "app" }, "secret": { "value": "s3cr3t-value", "secret": true } },
          "blocks": {
            "token": { "method": "POST", "path": "/token", "form": { "grant_type": "client_credentials" },
                       "headers": { "Accept": "application/json" } },
            "ok": { "status": 200, "headers": { "Cache-Control": "no-store" } },
            "strict": { "use": "ok", "fields": { "access_token": "non_empty" } }
          },
          "cases": [
            { "name": "a",
              "request": { "use": "token", "form": { "scope": "read" }, "headers": { "X-Trace": "1" } },
              "expect": { "use": ["strict"], "status": [200, 201] } }
          ]
        }
        """

    @Test func aCaseTakesBlocksAndOverridesThem() throws {
        let suite = try load(Self.blocks)
        let request = try #require(suite.cases[0].request)
        #expect(request.method == "POST")
        #expect(request.path.source == "/token")
        guard case .form(let fields)? = request.body else { throw Failure("no form body") }
        #expect(fields.map(\.name) == ["grant_type", "scope"])
        #expect(request.headers.map(\.name) == ["Accept", "X-Trace"])
        let expect = suite.cases[0].expect
        #expect(expect.status == [.exact(200), .exact(201)])
        #expect(expect.headers.map(\.name) == ["Cache-Control"])
        #expect(expect.fields.map(\.path.description) == ["access_token"])
    }

    @Test func aProblemInABlockIsReportedWhereTheBlockSaysIt() {
        let text = Self.blocks.replacingOccurrences(of: #""method": "POST", "path": "/token""#, with: #""methd": "POST", "path": "/token""#)
        #expect(
            diagnostics(text) == [
                "suite.json:5:16: error: unknown key 'methd' in request of case 'a'; did you mean 'method'? (allowed: use, method, path, query, headers, json, form, body, client_auth)",
                "suite.json:12:18: error: missing required key 'method' in request of case 'a'",
            ])
        let unknown = Self.blocks.replacingOccurrences(of: #""use": ["strict"]"#, with: #""use": ["strikt"]"#)
        #expect(diagnostics(unknown) == ["suite.json:13:27: error: no block named 'strikt'; did you mean 'strict'?"])
        let cycle = Self.blocks.replacingOccurrences(of: #""ok": { "status": 200,"#, with: #""ok": { "use": "strict", "status": 200,"#)
        #expect(diagnostics(cycle).first?.hasSuffix("error: blocks use each other more than 16 deep (a cycle?)") == true)
    }

    /// 16 blocks that each use the next four times (1.6 KB): 4^15 merges per case if each use resolved its
    /// block again, which the bound on merged values would refuse. Each block is resolved once.
    @Test func aBlockBombResolvesEachBlockOnce() throws {
        var blocks = (0..<15).map { index in
            let next = "\"b\(index + 1)\""
            return
                "\"b\(index)\": {\"use\": [\(next), \(next), \(next), \(next)], \"headers\": {\"X-B\(index)\": \"v\"}}"
        }
        blocks.append(#""b15": {"method": "GET", "path": "/"}"#)
        let suite = try load(
            """
            {"format": 1, "name": "bomb", "base_url": "http://127.0.0.1:9", "blocks": {\(blocks.joined(separator: ", "))},
             "cases": [{"name": "c", "request": {"use": "b0"}, "expect": {"status": 200}}]}
            """)
        let request = try #require(suite.cases[0].request)
        #expect(request.method == "GET")
        #expect(request.headers.map(\.name) == (0..<15).reversed().map { "X-B\($0)" })
    }

    /// Every use of a block copies its values into the case: past a million in one suite, the use that goes
    /// over is an error, so that loading a suite is bounded whatever its blocks hold.
    @Test func theValuesBlocksCopyIntoASuiteAreBounded() {
        // A block of 10,002 values: the 100th use goes past 1,000,000.
        let headers = (0..<10_000).map { "\"X-\($0)\": \"v\"" }.joined(separator: ", ")
        let cases = (0..<100).map { index in
            let name = String(format: "c%03d", index)
            return
                #"{"name": "\#(name)", "request": {"use": "big", "method": "GET", "path": "/"}, "expect": {"status": 200}}"#
        }
        let text = """
            {"format": 1, "name": "big", "base_url": "http://127.0.0.1:9",
            "blocks": {"big": {"headers": {\(headers)}}},
            "cases": [
            \(cases.joined(separator: ",\n"))
            ]}
            """
        #expect(
            diagnostics(text) == [
                "suite.json:103:37: error: the blocks merged into this suite would copy more than 1000000 JSON values "
                    + "(each use of a block counts the values it brings)"
            ])
    }

    @Test func formEncodingFollowsAppendixB() {
        #expect(ClientAuthentication.formEncoded("a b+c/d=é~*-._") == "a+b%2Bc%2Fd%3D%C3%A9%7E*-._")
        #expect(ClientAuthentication.formEncoded([("grant_type", "client_credentials"), ("scope", "read write")]) == "grant_type=client_credentials&scope=read+write")
        // RFC 6749 §2.3.1: each part is form-encoded before Base64, so ':' in an id survives.
        #expect(ClientAuthentication.basicCredentials(id: "s6BhdRkqt3", secret: "7Fjfp0ZBr1KtDRbnfVdmIw") == "czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3")
        #expect(ClientAuthentication.basicCredentials(id: "a:b", secret: "c d") == Data("a%3Ab:c+d".utf8).base64EncodedString())
    }

    private func prepared(method: String) throws -> PreparedCase {
        let text = """
            {
              "format": 1, "name": "s", "mock": "pitchpoint",
              "variables": { "method": { "value": "\(method)" }, "secret": { "value": "s3cr3t value", "secret": true } },
              "cases": [
                { "name": "a",
                  "request": { "method": "POST", "path": "/token", "form": { "grant_type": "client_credentials" },
                               "client_auth": { "method": "${method}", "client_id": "app:1", "client_secret": "${secret}" } },
                  "expect": { "status": 200 } }
              ]
            }
            """
        let compiled = try SuiteCompiler().compile(try load(text)).get()
        let values = VariableResolver.resolve(compiled.suite, environment: [:], overrides: [:])
        let secrets = SecretStore()
        let preparer = CasePreparer(compiled: compiled, baseURL: URL(string: "http://127.0.0.1:1")!, secrets: secrets)
        let prepared = try preparer.prepare(compiled.suite.cases[0], values: values)
        if method == "client_secret_basic" {
            #expect(secrets.contains(ClientAuthentication.basicCredentials(id: "app:1", secret: "s3cr3t value")))
        }
        return prepared
    }

    @Test func clientSecretBasicSendsAnAuthorizationHeader() throws {
        let request = try prepared(method: "client_secret_basic").request
        let expected = "Basic " + Data("app%3A1:s3cr3t+value".utf8).base64EncodedString()
        #expect(request.headers.first { $0.name == "Authorization" }?.value == expected)
        #expect(request.body.map { String(decoding: $0, as: UTF8.self) } == "grant_type=client_credentials")
    }

    @Test func clientSecretPostAndNoneSendFormFields() throws {
        let post = try prepared(method: "client_secret_post").request
        #expect(!post.headers.contains { $0.name == "Authorization" })
        #expect(
            post.body.map { String(decoding: $0, as: UTF8.self) }
                == "grant_type=client_credentials&client_id=app%3A1&client_secret=s3cr3t+value")
        let none = try prepared(method: "none").request
        #expect(none.body.map { String(decoding: $0, as: UTF8.self) } == "grant_type=client_credentials&client_id=app%3A1")
    }

    @Test func anUnknownMethodIsRefusedBeforeSending() async throws {
        let path = TestPaths.writeSuite(
            """
            {
              "format": 1, "name": "s", "mock": "pitchpoint",
              "variables": { "method": { "value": "${env:AUTH}", "default": "client_secret_basic" } },
              "cases": [
                { "name": "a",
                  "request": { "method": "POST", "path": "/token",
                               "client_auth": { "method": "${method}", "client_id": "a", "client_secret": "b" } },
                  "expect": { "status": 200 } },
                { "name": "b",
                  "request": { "method": "POST", "path": "/token",
                               "client_auth": { "method": "tls_client_auth", "client_id": "a", "client_secret": "b" } },
                  "expect": { "status": 200 } }
              ]
            }
            """)
        let found = diagnostics(try String(contentsOfFile: path, encoding: .utf8))
        #expect(
            found == [
                #"suite.json:11:47: error: unknown client authentication "tls_client_auth" (one of client_secret_basic, client_secret_post, none, client_secret_jwt, private_key_jwt)"#
            ], "\(found)")
        let fixed = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "tls_client_auth", with: "none")
        try Data(fixed.utf8).write(to: URL(fileURLWithPath: path))
        let outcome = await runConform([path], environment: ["AUTH": "basic"])
        #expect(outcome.status == .invalid)
        #expect(
            outcome.stderr
                == "\(path):3:18: error: client authentication ${method} is \"basic\", not one of client_secret_basic, client_secret_post, none, client_secret_jwt, private_key_jwt\n"
        )
    }

    @Test func requiresAndOptionalCapturesSkipWithTheReason() async throws {
        let path = TestPaths.writeSuite(
            """
            {
              "format": 1, "name": "s", "mock": "pitchpoint",
              "variables": { "refresh_token": { "value": "${env:PITCHPOINT_REFRESH_TOKEN}", "secret": true } },
              "secret_fields": ["access_token", "refresh_token"],
              "cases": [
                { "name": "refresh",
                  "request": { "method": "POST", "path": "/user-management-services-ws/oauth2/002/refreshIdToken",
                               "json": { "refresh_token": "${refresh_token}" } },
                  "expect": { "status": 200 },
                  "capture": { "rotated": { "field": "rotated_refresh_token", "secret": true, "optional": true },
                               "token": { "field": "access_token", "secret": true } } },
                { "name": "after rotation", "requires": ["rotated"],
                  "request": { "method": "POST", "path": "/user-management-services-ws/oauth2/002/refreshIdToken",
                               "json": { "refresh_token": "${refresh_token}" } },
                  "expect": { "status": 200 } },
                { "name": "with the token", "requires": ["token"],
                  "request": { "method": "POST", "path": "/user-management-services-ws/oauth2/002/refreshIdToken",
                               "json": { "refresh_token": "${refresh_token}" } },
                  "expect": { "status": 200 } }
              ]
            }
            """)
        let outcome = await runConform([path])
        #expect(outcome.status == .passed)
        #expect(
            outcome.stdout.contains(
                "  SKIP  after rotation: needs ${rotated}, and the response to 'refresh' had no field rotated_refresh_token (optional there)\n"
            ))
        #expect(outcome.stdout.contains("  PASS  with the token ("))
    }
}

struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
