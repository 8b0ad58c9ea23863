import Foundation
import NIOConcurrencyHelpers
import NIOHTTP1
import Testing

@testable import ConformJSON
@testable import ConformKit

/// What `suites/oauth2.json` holds at SHOULD level, or asks "at least a warning" for: each liberty below is
/// allowed by RFC 6749 and gives a warning with its section, never a failure; extension fields give nothing.
/// The server is the strict oauth2 mock with one liberty taken.
@Suite(.temporaryDirectories) struct OAuth2RecommendationsTests {
    private static let suite = TestPaths.suite("oauth2.json")

    private func run(_ endpoint: any MockEndpoint) async throws -> RunOutcome {
        let server = try await MockServer.start(endpoint, configuration: MockConfiguration())
        let outcome = await runConform(
            [Self.suite], arguments: { $0.baseURL = server.baseURL.absoluteString },
            environment: endpoint.credentials.environment)
        await server.stop()
        return outcome
    }

    /// The console lines of one case: its outcome line and the indented lines under it.
    private func lines(of name: String, in stdout: String) -> [String] {
        let all = stdout.split(separator: "\n").map(String.init)
        guard let start = all.firstIndex(where: { $0.hasPrefix("  ") && $0.dropFirst(8).hasPrefix(name + " (") })
        else { return [] }
        let rest = all[(start + 1)...].prefix { $0.hasPrefix("        ") }
        return [String(all[start].prefix(8)) + name] + rest.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// §3.2: a token issued for a GET whose query holds the client's credentials.
    @Test func aTokenIssuedForAGetWithCredentialsInTheQueryIsAWarning() async throws {
        let mock = OAuth2Mock(configuration: MockConfiguration())
        let endpoint = EditingEndpoint(
            inner: mock,
            request: { request in
                guard request.method == "GET" else { return request }
                var post = request
                post.method = "POST"
                post.body = Data(
                    request.query.sorted { $0.key < $1.key }.map {
                        "\(Self.formEncoded($0.key))=\(Self.formEncoded($0.value))"
                    }
                    .joined(separator: "&").utf8)
                post.headers.replaceOrAdd(name: "Content-Type", value: "application/x-www-form-urlencoded")
                return post
            })
        let outcome = try await run(endpoint)
        #expect(outcome.status == .passed)
        #expect(outcome.stdout.contains("oauth2: 13 cases: 13 passed, 0 failed, 0 errors, 0 skipped; 1 warning;"))
        #expect(
            lines(of: "token request by GET with credentials in the query", in: outcome.stdout) == [
                "  PASS  token request by GET with credentials in the query",
                "warning [status]: expected 4xx, got 200 (a success status) (RFC 6749 §3.2: a token request uses POST)",
            ])
        #expect(outcome.reportText.contains(#"name="token request by GET with credentials in the query.warning.1""#))
        #expect(!outcome.everything.contains(mock.credentials.value("OAUTH2_CLIENT_SECRET")))
    }

    /// RFC 9700 §4.14.2: after rotation the replaced refresh token should stop working.
    @Test func anOldRefreshTokenThatStillWorksAfterRotationIsAWarning() async throws {
        let outcome = try await run(OAuth2Mock(configuration: MockConfiguration(), refreshPolicy: .rotateKeepingTheOld))
        #expect(outcome.status == .passed)
        #expect(outcome.stdout.contains("oauth2: 13 cases: 13 passed, 0 failed, 0 errors, 0 skipped; 3 warnings;"))
        #expect(
            lines(of: "the refresh token used before rotation no longer works", in: outcome.stdout) == [
                "  PASS  the refresh token used before rotation no longer works",
                "warning [status]: expected 400, got 200 (a success status) (RFC 9700 §4.14.2: a refresh token replaced by rotation must no longer work)",
                #"warning [field]: error: expected "invalid_grant", got nothing (field missing) (RFC 9700 §4.14.2: a refresh token replaced by rotation must no longer work)"#,
            ])
        // The replay revoked nothing, so the latest token works too: RFC 9700's reuse detection is missing.
        #expect(
            lines(of: "reuse detection revoked the latest refresh token", in: outcome.stdout) == [
                "  PASS  reuse detection revoked the latest refresh token",
                "warning [status]: expected 400, got 200 (a success status) (RFC 9700 §4.14.2: a replayed refresh token should revoke the active one of its family)",
                "note [warn]: no reuse detection: the latest refresh token still works after the old one was replayed",
            ])
    }

    /// §5.1: Pragma: no-cache is a SHOULD (Cache-Control: no-store is the MUST).
    @Test func noPragmaIsAWarning() async throws {
        let endpoint = EditingEndpoint(
            inner: OAuth2Mock(configuration: MockConfiguration()),
            response: { response in
                guard case .full(let status, let contentType, let body, let headers) = response else { return response }
                return .full(
                    status: status, contentType: contentType, body: body,
                    extraHeaders: headers.filter { $0.0.lowercased() != "pragma" })
            })
        let outcome = try await run(endpoint)
        #expect(outcome.status == .passed)
        // Each success case warns once, with the reason of its own warn block.
        let reasons = [
            "client credentials grant": "RFC 6749 §4.4.3, §5.1: SHOULD-level",
            "client credentials grant with a scope": "RFC 6749 §5.1: SHOULD-level",
            "refresh with the refresh token": "RFC 6749 §5.1, §6: SHOULD-level",
        ]
        for (name, reason) in reasons {
            #expect(
                lines(of: name, in: outcome.stdout).contains(
                    #"warning [header]: Pragma: expected "no-cache", got no Pragma header (\#(reason))"#), "\(name)")
        }
        #expect(outcome.stdout.contains("oauth2: 13 cases: 13 passed, 0 failed, 0 errors, 0 skipped; 3 warnings;"))
    }

    /// §3.3: a server may grant less than asked; a granted scope with a token that was not requested is a
    /// warning that names it (`scope_subset_of`), and the same scope in another order is fine.
    @Test func aScopeWiderThanRequestedIsAWarning() async throws {
        for (granted, warns) in [("read admin", true), ("read", false)] {
            let endpoint = EditingEndpoint(
                inner: OAuth2Mock(configuration: MockConfiguration()),
                response: { response in
                    guard case .full(.ok, let contentType, let body, let headers) = response,
                        case .object(var fields)? = JSONValue.decode(body), fields["scope"] != nil
                    else { return response }
                    fields["scope"] = .string(granted)
                    return .full(
                        status: .ok, contentType: contentType, body: JSONValue.object(fields).encoded(),
                        extraHeaders: headers)
                })
            let outcome = try await run(endpoint)
            #expect(outcome.status == .passed)
            let shown = lines(of: "client credentials grant with a scope", in: outcome.stdout)
            if warns {
                #expect(
                    shown.contains(
                        #"warning [field]: scope: expected scopes among "read" (${scope}), got string "read admin"; not requested: "admin" (RFC 6749 §5.1: SHOULD-level)"#
                    ), "\(shown)")
            } else {
                #expect(shown == ["  PASS  client credentials grant with a scope"], "\(shown)")
            }
        }
    }

    /// §5.1: a token response may carry extension parameters (§8.2); clients ignore the ones they do not know.
    @Test func extensionFieldsInTheTokenResponseAreNotFailures() async throws {
        let edited = NIOLockedValueBox(0)
        let endpoint = EditingEndpoint(
            inner: OAuth2Mock(configuration: MockConfiguration()),
            response: { response in
                guard case .full(.ok, let contentType, let body, let headers) = response,
                    case .object(var fields)? = JSONValue.decode(body)
                else { return response }
                edited.withLockedValue { $0 += 1 }
                fields["example_parameter"] = .string("example_value")
                fields["authorization_details"] = .array([.object(["type": .string("account_information")])])
                fields["refresh_token_expires_in"] = .number(86400)
                return .full(
                    status: .ok, contentType: contentType, body: JSONValue.object(fields).encoded(),
                    extraHeaders: headers)
            })
        let outcome = try await run(endpoint)
        #expect(outcome.status == .passed)
        // Two client credentials grants and two refreshes.
        #expect(edited.withLockedValue { $0 } == 4)
        #expect(outcome.stdout.contains("oauth2: 13 cases: 13 passed, 0 failed, 0 errors, 0 skipped; 0 warnings;"))
        #expect(
            lines(of: "client credentials grant", in: outcome.stdout) == ["  PASS  client credentials grant"])
    }

    private static func formEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
