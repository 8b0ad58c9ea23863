import Foundation
import Testing

@testable import ConformKit

/// What every answer to an authenticating client must show: a challenge with a 401 (RFC 9110 §15.5.2), and
/// 401 + a Basic challenge for a client refused after sending Basic credentials (RFC 6749 §5.2).
@Suite struct ClientAuthenticationCheckTests {
    static let invalidClient = #"{"error": "invalid_client"}"#

    @Test func a401NeedsAChallengeWhateverTheMethod() {
        for sentBasic in [false, true] {
            let check = ClientAuthenticationCheck(sentBasic: sentBasic)
            #expect(
                messages(check, response(status: 401, body: Self.invalidClient)) == [
                    "failure: status 401 without a WWW-Authenticate challenge (RFC 9110 §15.5.2: a 401 response must send one)"
                ])
            #expect(
                messages(check, response(status: 401, headers: [("WWW-Authenticate", "  ")], body: "{}")) == [
                    "failure: status 401 without a WWW-Authenticate challenge (RFC 9110 §15.5.2: a 401 response must send one)"
                ])
        }
        let post = ClientAuthenticationCheck(sentBasic: false)
        #expect(messages(post, response(status: 401, headers: [("WWW-Authenticate", "Bearer")], body: "{}")).isEmpty)
        #expect(messages(post, response(status: 400, body: Self.invalidClient)).isEmpty)
    }

    @Test func basicCredentialsRefusedGet401AndABasicChallenge() {
        let basic = ClientAuthenticationCheck(sentBasic: true)
        #expect(
            messages(basic, response(status: 400, body: Self.invalidClient)) == [
                "failure: invalid_client for a client that sent HTTP Basic credentials: expected status 401, got 400 (RFC 6749 §5.2)"
            ])
        #expect(
            messages(
                basic, response(status: 401, headers: [("WWW-Authenticate", #"Bearer realm="x", error="invalid_token""#)], body: Self.invalidClient)) == [
                    #"failure: invalid_client for a client that sent HTTP Basic credentials: expected a WWW-Authenticate challenge with the "Basic" scheme, got "Bearer realm=\"x\", error=\"invalid_token\"" (RFC 6749 §5.2)"#
                ])
        #expect(
            messages(basic, response(status: 401, headers: [("WWW-Authenticate", #"Bearer, basic realm="t""#)], body: Self.invalidClient))
                .isEmpty)
        // Other refusals, other statuses and unreadable bodies are the case's business.
        #expect(messages(basic, response(status: 400, body: #"{"error": "invalid_grant"}"#)).isEmpty)
        #expect(messages(basic, response(status: 400, contentType: "text/html", body: "<p>no</p>", kind: .none)).isEmpty)
        #expect(messages(basic, response(status: 200, body: "{}")).isEmpty)
        // The body is read even when the case itself does not decode it.
        #expect(messages(basic, response(status: 400, body: Self.invalidClient, kind: .none)).count == 1)
    }
}
