import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import ConformKit

/// `${uuid()}`, `${now_epoch()}`, `${now_rfc3339()}`, `${random_hex(N)}`, `${random_base64url(N)}`: parsed,
/// refused with located messages, and evaluated anew for every request.
@Suite(.temporaryDirectories) struct TemplateFunctionTests {
    @Test func parsesCalls() throws {
        let template = try Template.parse("id=${uuid()}&t=${now_epoch()}&n=${random_hex( 16 )}${random_base64url(3)}")
        #expect(
            template.segments == [
                .literal("id="), .function(.uuid), .literal("&t="), .function(.nowEpoch), .literal("&n="),
                .function(.randomHex(bytes: 16)), .function(.randomBase64URL(bytes: 3)),
            ])
        #expect(try Template.parse("${now_rfc3339()}").segments == [.function(.nowRFC3339)])
    }

    @Test func refusesUnknownFunctionsAndBadArguments() {
        func message(_ text: String) -> String {
            do {
                _ = try Template.parse(text)
                return "parsed"
            } catch {
                return error.description
            }
        }
        let list = "(functions: uuid(), now_epoch(), now_rfc3339(), random_hex(N), random_base64url(N))"
        #expect(message("${uid()}") == "unknown function 'uid()'; did you mean 'uuid()'? \(list)")
        #expect(message("${now()}") == "unknown function 'now()' \(list)")
        #expect(message("${uuid(4)}") == "'uuid()' takes no argument, got '4'")
        #expect(message("${random_hex()}") == "'random_hex(N)' takes a number of bytes from 1 to 256, got ''")
        #expect(message("${random_hex(257)}") == "'random_hex(N)' takes a number of bytes from 1 to 256, got '257'")
        #expect(
            message("${random_base64url(0)}") == "'random_base64url(N)' takes a number of bytes from 1 to 256, got '0'")
        #expect(message("${uuid(}") == "'${uuid(}' is not a function call such as '${uuid()}'")
    }

    @Test func evaluatesFreshValues() throws {
        let date = Date(timeIntervalSince1970: 1_796_622_600.75)
        #expect(TemplateFunction.nowEpoch.evaluate(now: date) == "1796622600")
        #expect(TemplateFunction.nowRFC3339.evaluate(now: date) == "2026-12-07T05:50:00Z")
        let uuid = TemplateFunction.uuid.evaluate()
        #expect(
            uuid.range(
                of: #"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"#,
                options: .regularExpression) != nil)
        #expect(uuid != TemplateFunction.uuid.evaluate())
        let hex = TemplateFunction.randomHex(bytes: 16).evaluate()
        #expect(hex.count == 32 && hex.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        let base64 = TemplateFunction.randomBase64URL(bytes: 32).evaluate()
        #expect(base64.count == 43)
        #expect(base64.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(TemplateFunction.randomBase64URL(bytes: 256).evaluate().count == 342)
    }

    /// Lint locates a bad call where it is written, and a variable's value may not call a function.
    @Test func lintLocatesBadCalls() {
        let suite = """
            {
              "format": 1, "name": "f", "mock": "pitchpoint",
              "variables": { "v": { "value": "${uuid()}" } },
              "cases": [
                { "name": "a", "request": { "method": "GET", "path": "/x",
                  "headers": { "X-Request-Id": "${uuid(1)}", "X-Nonce": "${nonce()}" } },
                  "expect": { "status": 200 } }
              ]
            }
            """
        #expect(
            TestPaths.suiteDiagnostics(suite) == [
                "suite.json:3:34: error: a variable's 'value' may only reference the environment ('${env:NAME}'), not '${uuid()}'",
                "suite.json:6:36: error: 'uuid()' takes no argument, got '1'",
                "suite.json:6:61: error: unknown function 'nonce()' (functions: uuid(), now_epoch(), now_rfc3339(), random_hex(N), random_base64url(N))",
            ])
    }

    /// Every sample of a repeated case sends new values: 5 samples, 5 different request ids and nonces.
    @Test func everySampleSendsNewValues() async throws {
        let seen = NIOLockedValueBox<[String]>([])
        let endpoint = EditingEndpoint(
            inner: PitchpointMock(configuration: MockConfiguration()),
            request: { request in
                seen.withLockedValue {
                    $0.append(request.headers["X-Request-Id"].joined() + " " + request.query["nonce", default: ""])
                }
                return request
            })
        let suite = TestPaths.writeSuite(
            """
            {
              "format": 1, "name": "fresh",
              "variables": { "refresh_token": { "value": "${env:PITCHPOINT_REFRESH_TOKEN}", "secret": true } },
              "defaults": { "headers": { "X-Request-Id": "${uuid()}" } },
              "cases": [
                { "name": "refresh", "repeat_safe": true,
                  "request": { "method": "POST", "path": "/user-management-services-ws/oauth2/002/refreshIdToken",
                    "query": { "nonce": "${random_hex(8)}" }, "json": { "refresh_token": "${refresh_token}" } },
                  "expect": { "status": 200 } }
              ]
            }
            """)
        let server = try await MockServer.start(endpoint, configuration: MockConfiguration())
        let outcome = await runConform(
            [suite],
            arguments: {
                $0.baseURL = server.baseURL.absoluteString
                $0.repeatCount = 5
            }, environment: endpoint.credentials.environment)
        await server.stop()
        #expect(outcome.status == .passed)
        let sent = seen.withLockedValue { $0 }
        #expect(sent.count == 5)
        #expect(Set(sent).count == 5)
        #expect(sent.allSatisfy { $0.range(of: #"^[0-9a-f-]{36} [0-9a-f]{16}$"#, options: .regularExpression) != nil })
    }
}
