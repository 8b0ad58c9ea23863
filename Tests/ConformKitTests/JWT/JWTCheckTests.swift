import Foundation
import Testing

@testable import ConformJSON
@testable import ConformKit
@testable import ConformRegex
@testable import ConformSupport

@Suite struct JWTCheckTests {
    typealias F = JWTFixtures

    /// The seed's Pitchpoint sample names both of its problems: a 4 s lifetime against `expires_in` 3600,
    /// and an `exp` in 1970, before the response's Date.
    @Test func theSeedTokenIsDiagnosed() {
        let check = F.check(F.expectation { $0.lifetimeField = FieldPath("expires_in") })
        let subject = response(headers: [("Date", F.nowHeader)], body: F.body(F.seedToken))
        #expect(
            messages(check, subject) == [
                "warning: access_token: JWT part 3 ends in '=' padding, which RFC 7515 §2 leaves out (strict libraries refuse the token)",
                "failure: access_token: JWT exp - iat is 4 s (iat 1708715, exp 1708719), but expires_in says 3600 s (60 s skew allowed)",
                "failure: access_token: JWT exp: 1708719 (1970-01-20T18:38:39Z) is 56 years before the response's Date (2026-12-07T05:12:13Z)",
            ])
    }

    @Test func withoutADateTheLocalClockIsTheReference() {
        let claims: [String: JSONValue] = ["iat": .number(1_796_616_733), "exp": .number(1_796_619_733)]
        #expect(
            messages(F.check(), response(body: F.body(F.token("RS256", claims: claims)))) == [
                "failure: access_token: JWT exp: 1796619733 (2026-12-07T05:02:13Z) is 10 minutes before the local clock (2026-12-07T05:12:13Z)"
            ])
    }

    /// A token that is fine by the server's Date is not blamed on the server when the local clock is off:
    /// the clock is named instead.
    @Test func aSkewedLocalClockIsNamedNotBlamedOnTheServer() {
        // The server's Date is two hours behind the local clock; the token is valid by that Date.
        let served = "Mon, 07 Dec 2026 03:12:13 GMT"
        let claims: [String: JSONValue] = ["iat": .number(1_796_613_133), "exp": .number(1_796_616_733)]
        let subject = response(headers: [("Date", served)], body: F.body(F.token("RS256", claims: claims)))
        #expect(
            messages(F.check(), subject) == [
                "warning: access_token: JWT times judged against the response's Date (2026-12-07T03:12:13Z): the local clock (2026-12-07T05:12:13Z) is 2 hours ahead of it, more than the 60 s skew allowed; check this machine's clock"
            ])
    }

    @Test func issuedInTheFutureFails() {
        let claims: [String: JSONValue] = [
            "iat": .number(1_796_627_533), "nbf": .number(1_796_620_453), "exp": .number(1_796_631_133),
        ]
        let subject = response(headers: [("Date", F.nowHeader)], body: F.body(F.token("RS256", claims: claims)))
        #expect(
            messages(F.check(), subject) == [
                "failure: access_token: JWT iat: 1796627533 (2026-12-07T07:12:13Z) is 2 hours after the response's Date (2026-12-07T05:12:13Z), more than the 60 s skew allowed",
                "failure: access_token: JWT nbf: 1796620453 (2026-12-07T05:14:13Z) is 2 minutes after the response's Date (2026-12-07T05:12:13Z), more than the 60 s skew allowed",
            ])
        // Within the skew, nothing is said.
        let near: [String: JSONValue] = ["iat": .number(1_796_620_393), "exp": .number(1_796_620_274)]
        let close = response(headers: [("Date", F.nowHeader)], body: F.body(F.token("RS256", claims: near)))
        #expect(messages(F.check(), close).isEmpty)
        #expect(
            messages(F.check(F.expectation { $0.skewSeconds = 30 }), close) == [
                "failure: access_token: JWT exp: 1796620274 (2026-12-07T05:11:14Z) is 59 s before the response's Date (2026-12-07T05:12:13Z)",
                "failure: access_token: JWT iat: 1796620393 (2026-12-07T05:13:13Z) is 60 s after the response's Date (2026-12-07T05:12:13Z), more than the 30 s skew allowed",
            ])
    }

    @Test func timesThatAreNotNumbersFail() {
        let claims: [String: JSONValue] = ["exp": .string("tomorrow")]
        #expect(
            messages(F.check(), response(body: F.body(F.token("RS256", claims: claims)))) == [
                #"failure: access_token: JWT exp: expected a NumericDate (a JSON number of seconds), got string "tomorrow""#
            ])
    }

    @Test func lifetimeAgainstTheStatedExpiry() {
        let claims: [String: JSONValue] = ["iat": .number(1_796_620_333), "exp": .number(1_796_623_933)]
        let check = F.check(F.expectation { $0.lifetimeField = FieldPath("expires_in") })
        let token = F.token("RS256", claims: claims)
        #expect(messages(check, response(headers: [("Date", F.nowHeader)], body: F.body(token))).isEmpty)
        #expect(
            messages(check, response(headers: [("Date", F.nowHeader)], body: F.body(token, expiresIn: "300"))) == [
                "failure: access_token: JWT exp - iat is 3600 s (iat 1796620333, exp 1796623933), but expires_in says 300 s (60 s skew allowed)"
            ])
        #expect(
            messages(check, response(headers: [("Date", F.nowHeader)], body: F.body(token, expiresIn: "true"))) == [
                "failure: access_token: JWT exp - iat not compared: expires_in is boolean true, not a number of seconds"
            ])
        let noIat = F.token("RS256", claims: ["exp": .number(1_796_623_933)])
        #expect(
            messages(check, response(headers: [("Date", F.nowHeader)], body: F.body(noIat))) == [
                "failure: access_token: JWT exp - iat cannot be compared with expires_in 3600: no numeric iat"
            ])
    }

    @Test(arguments: JWTAlgorithm.allCases.filter { !$0.isHMAC })
    func everyAsymmetricAlgorithmVerifies(algorithm: JWTAlgorithm) {
        let kid: String
        switch algorithm.keyKind {
        case .rsa: kid = "rsa"
        case .ec(let curve): kid = ["P-256": "p256", "P-384": "p384", "P-521": "p521"][curve]!
        default: kid = "ed"
        }
        let check = F.check(keys: .keySet(F.parsedKeySet, origin: "the suite's key set"))
        let token = F.token(algorithm.rawValue, kid: kid)
        #expect(messages(check, response(body: F.body(token))).isEmpty)
        #expect(
            messages(check, response(body: F.body(F.tampered(token)))) == [
                "failure: access_token: JWT signature (\(algorithm.rawValue), kid \"\(kid)\") does not verify with the suite's key set"
            ])
        // Without a kid, the keys of the fitting kind are tried.
        #expect(messages(check, response(body: F.body(F.token(algorithm.rawValue)))).isEmpty)
    }

    @Test(arguments: ["HS256", "HS384", "HS512"])
    func hmacVerifiesWithTheSecretOnly(alg: String) {
        let check = F.check(keys: .secret(.init(data: Data("s3cret".utf8))))
        #expect(messages(check, response(body: F.body(F.token(alg)))).isEmpty)
        #expect(
            messages(check, response(body: F.body(F.token(alg, secret: "other")))) == [
                "failure: access_token: JWT signature (\(alg)) does not verify with the suite's hmac_secret"
            ])
    }

    /// No RS/HS confusion: a public key never serves as an HMAC secret, and a secret never verifies RS256.
    @Test func keyTypeMustFitTheAlgorithm() {
        let keySet = F.check(keys: .keySet(F.parsedKeySet, origin: "the suite's key set"))
        #expect(
            messages(keySet, response(body: F.body(F.token("HS256", kid: "rsa")))) == [
                "failure: access_token: JWT alg HS256 needs a shared secret: a public key from the suite's key set cannot verify it (no RS/HS confusion)"
            ])
        #expect(
            messages(keySet, response(body: F.body(F.token("ES256", kid: "rsa")))) == [
                #"failure: access_token: JWT signature (ES256, kid "rsa") not verified: ES256 needs an EC key on P-256, and the key of kid "rsa" is an RSA key (the suite's key set)"#
            ])
        let secret = F.check(keys: .secret(.init(data: Data("s3cret".utf8))))
        #expect(
            messages(secret, response(body: F.body(F.token("RS256", kid: "rsa")))) == [
                #"failure: access_token: JWT alg "RS256" does not fit the suite's hmac_secret (HS256, HS384, HS512 only)"#
            ])
    }

    @Test func algNoneIsNeverAccepted() {
        let unsigned = Base64URL.encode(Data(#"{"alg":"none"}"#.utf8)) + ".e30."
        for check in [F.check(), F.check(keys: .keySet(F.parsedKeySet, origin: "x"))] {
            #expect(
                messages(check, response(body: F.body(unsigned))) == [
                    #"failure: access_token: JWT alg "none": an unsigned token is never accepted"#
                ])
        }
    }

    @Test func algorithmAllowList() {
        let check = F.check(
            F.expectation { $0.algorithms = ["RS256"] }, keys: .keySet(F.parsedKeySet, origin: "the suite's key set"))
        #expect(
            messages(check, response(body: F.body(F.token("PS256", kid: "rsa")))) == [
                #"failure: access_token: JWT alg "PS256" is not allowed (allowed: RS256)"#
            ])
    }

    @Test func kidSelection() {
        let check = F.check(keys: .keySet(F.parsedKeySet, origin: "the key set /jwks"))
        #expect(
            messages(check, response(body: F.body(F.token("RS256", kid: "gone")))) == [
                #"failure: access_token: JWT signature (RS256, kid "gone") not verified: kid "gone" is not in the key set (its kids: "rsa", "p256", "p384", "p521", "ed") (the key set /jwks)"#
            ])
        let failed = F.check(keys: .failed("the key set /jwks answered 404, not 200 with a JWK Set"))
        #expect(
            messages(failed, response(body: F.body(F.token("RS256", kid: "rsa")))) == [
                #"failure: access_token: JWT signature (RS256, kid "rsa") not verified: the key set /jwks answered 404, not 200 with a JWK Set"#
            ])
        let unavailable = F.check(
            keys: .unavailable("signature not verified: variable 'jwks_url' (PITCHPOINT_JWKS_URL) is not set"))
        #expect(
            messages(unavailable, response(body: F.body(F.token("RS256", kid: "rsa")))) == [
                "note: access_token: JWT signature not verified: variable 'jwks_url' (PITCHPOINT_JWKS_URL) is not set"
            ])
    }

    @Test func headerAndClaims() {
        let expectation = F.expectation {
            $0.type = "at+jwt"
            $0.requiredClaims = JWTExpectation.rfc9068Claims
            $0.issuer = try? Template.parse("https://issuer.example")
            $0.claims = [("sub", .template(try! Template.parse("${user}"))), ("scope_count", .literal(.number(2)))]
            $0.claimPatterns = [("email", try! LinearRegex("@example\\.com$"))]
        }
        let check = F.check(
            expectation, issuer: "https://issuer.example", audience: "client-1",
            claims: [("sub", .string("alice")), ("scope_count", .number(2))])
        let good = F.token(
            "RS256",
            claims: [
                "iss": .string("https://issuer.example"), "aud": .array([.string("api"), .string("client-1")]),
                "sub": .string("alice"), "client_id": .string("client-1"), "jti": .string("j"),
                "scope_count": .number(2),
                "iat": .number(1_796_620_333), "exp": .number(1_796_623_933), "email": .string("a@example.com"),
            ], header: ["typ": .string("application/AT+JWT")])
        #expect(messages(check, response(body: F.body(good))).isEmpty)
        let bad = F.token(
            "RS256",
            claims: [
                "iss": .string("https://other.example/"), "aud": .array([.string("api")]), "sub": .string("bob"),
                "email": .number(3),
            ], header: ["typ": .string("JWT")])
        #expect(
            messages(check, response(body: F.body(bad))) == [
                #"failure: access_token: JWT typ: expected "at+jwt", got "JWT""#,
                "failure: access_token: JWT lacks required claims exp, client_id, iat, jti",
                #"failure: access_token: JWT iss: expected "https://issuer.example", got string "https://other.example/""#,
                #"failure: access_token: JWT aud: expected "client-1" or an array containing it, got an array of 1"#,
                #"failure: access_token: JWT claim sub: expected string "alice" (${user}), got string "bob""#,
                "failure: access_token: JWT claim scope_count: expected number 2, got nothing (no such claim)",
                "failure: access_token: JWT claim email: expected a string matching /@example\\.com$/, got number 3",
            ])
    }

    /// Hostile tokens are refused in bounded time, with what is wrong in words; the token is never quoted.
    @Test func hostileTokens() {
        let check = F.check()
        func seen(_ token: String) -> [String] { messages(check, response(body: F.body(token))) }
        let header = Base64URL.encode(Data(#"{"alg":"RS256"}"#.utf8))
        #expect(
            seen(String(repeating: "a", count: 16 << 10 + 1)) == [
                "failure: access_token: expected a JWT, got a token of 16385 bytes, longer than the 16384 bytes conform decodes"
            ])
        #expect(
            seen("\(header).e30.c2ln.x") == [
                "failure: access_token: expected a JWT, got 4 parts (a JWS has 3, separated by '.')"
            ])
        #expect(seen("\(header).e30+.c2ln") == ["failure: access_token: expected a JWT, got part 2 is not base64url"])
        // "e31" leaves non-zero bits after its last byte: not a canonical base64url text.
        #expect(seen("\(header).e31.c2ln") == ["failure: access_token: expected a JWT, got part 2 is not base64url"])
        #expect(
            seen("\(header).W10.c2ln") == [
                "failure: access_token: expected a JWT, got part 2 (the claims) is not a JSON object"
            ])
        #expect(
            seen("e30.e30.c2ln") == [#"failure: access_token: expected a JWT, got a header without a string "alg""#])
        // Nesting deeper than the JSON reader's bound, inside the size cap.
        let deep = Base64URL.encode(
            Data((String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)).utf8))
        #expect(
            seen("\(header).\(deep).c2ln") == [
                "failure: access_token: expected a JWT, got part 2 (the claims) is not a JSON object"
            ])
        #expect(
            messages(check, response(body: #"{"access_token": 12}"#)) == [
                "failure: access_token: expected a JWT, got number 12"
            ])
    }

    /// An XML element's text is read as the token too; a broken one is placed by its line.
    @Test func xmlElementsHoldTokensToo() {
        let token = F.token("RS256", claims: ["exp": .number(1_796_623_933)])
        let xml = "<r>\n<access_token>\(token)</access_token>\n</r>"
        #expect(messages(F.check(), response(contentType: "application/xml", body: xml, kind: .xml(nil))).isEmpty)
        let broken = "<r>\n<access_token>abc.def</access_token>\n</r>"
        #expect(
            messages(F.check(), response(contentType: "application/xml", body: broken, kind: .xml(nil))) == [
                "failure: access_token (line 2): expected a JWT, got 2 parts (a JWS has 3, separated by '.')"
            ])
    }

    @Test func aMissingFieldIsReportedOnceUnlessOptional() {
        #expect(
            messages(F.check(), response(body: "{}")) == [
                #"failure: access_token: expected a JWT (three base64url parts, a JSON header with "alg"), got nothing (field missing)"#
            ])
        var optional = F.check()
        optional.optional = true
        #expect(messages(optional, response(body: "{}")).isEmpty)
    }

    @Test func httpDates() {
        #expect(HTTPDate.parse(F.nowHeader) == F.now.timeIntervalSince1970)
        #expect(HTTPDate.format(F.now) == F.nowHeader)
        #expect(HTTPDate.format(Date(timeIntervalSince1970: 951_782_400)) == "Tue, 29 Feb 2000 00:00:00 GMT")
        #expect(HTTPDate.parse("Tue, 29 Feb 2000 00:00:00 GMT") == 951_782_400)
        for bad in [
            "", "Mon, 07 Dec 2026 05:12:13 UTC", "Monday, 07-Dec-26 05:12:13 GMT", "Mon, 7 Dec 2026 05:12:13 GMT",
            "Mon, 07 Dex 2026 05:12:13 GMT", "Mon, 07 Dec 2026 25:12:13 GMT",
        ] {
            #expect(HTTPDate.parse(bad) == nil, "\(bad)")
        }
    }
}
