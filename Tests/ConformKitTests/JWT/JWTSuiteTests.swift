import Foundation
import Testing

@testable import ConformJSON
@testable import ConformKit
@testable import ConformSupport

/// The `jwt` rule as a suite writes it, and key sets as conform reads them.
@Suite(.temporaryDirectories) struct JWTSuiteTests {
    /// A suite whose one case checks `access_token` with `rule` (JSON text).
    private func suite(_ rule: String, variables: String = "{}") -> String {
        """
        {
          "format": 1,
          "name": "s",
          "mock": "pitchpoint",
          "variables": \(variables),
          "cases": [
            {
              "name": "one",
              "request": { "method": "POST", "path": "/x", "json": { "a": 1 } },
              "expect": { "status": 200, "fields": { "access_token": [\(rule)] } }
            }
          ]
        }
        """
    }

    private func expectation(_ rule: String, variables: String = "{}") throws -> JWTExpectation? {
        let loaded = try TestPaths.loadSuite(suite(rule, variables: variables))
        return loaded.cases[0].expect.fields[0].rules[0].jwtExpectation
    }

    @Test func theOldFormsStillMeanTheShape() throws {
        for rule in [#""jwt""#, #"{"jwt": true}"#] {
            let loaded = try TestPaths.loadSuite(suite(rule))
            guard case .jwt = loaded.cases[0].expect.fields[0].rules[0] else {
                Issue.record("\(rule) is not the shape rule")
                continue
            }
        }
    }

    @Test func readsTheObjectForm() throws {
        let rule = """
            {"jwt": {"alg": ["RS256", "ES256"], "typ": "at+jwt", "iss": "https://i.example", "aud": "${client}",
              "claims": {"sub": "u-1", "n": 2}, "required_claims": ["rfc9068", "sub", "email"],
              "lifetime_field": "expires_in", "skew_seconds": 5, "check_times": false,
              "jwks": {"keys": [{"kty": "OKP", "crv": "Ed25519", "kid": "ed", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}}}
            """
        let found = try #require(try expectation(rule, variables: #"{"client": {"default": "c-1"}}"#))
        #expect(found.algorithms == ["RS256", "ES256"])
        #expect(found.type == "at+jwt")
        #expect(found.audience?.source == "${client}")
        #expect(found.claims.map(\.name) == ["sub", "n"])
        #expect(found.requiredClaims == ["iss", "exp", "aud", "sub", "client_id", "iat", "jti", "email"])
        #expect(found.lifetimeField?.description == "expires_in")
        #expect(found.skewSeconds == 5 && !found.checksTimes)
        guard case .keySet(let set, let origin)? = found.keys else {
            Issue.record("no key set")
            return
        }
        #expect(set.keys.map(\.keyID) == ["ed"] && origin == "the suite's key set")
    }

    @Test func refusesWhatCannotBeRight() {
        func said(_ rule: String) -> [String] { TestPaths.suiteDiagnostics(suite(rule)) }
        #expect(
            said(#"{"jwt": {"alg": ["none"]}}"#) == [
                #"suite.json:10:80: error: 'alg' in rule 'jwt' for field 'access_token': "none" is never accepted (algorithms: RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA, HS256, HS384, HS512)"#
            ])
        #expect(
            said(#"{"jwt": {"alg": ["RS265"]}}"#) == [
                #"suite.json:10:80: error: 'alg' in rule 'jwt' for field 'access_token': unknown algorithm "RS265" (algorithms: RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA, HS256, HS384, HS512)"#
            ])
        #expect(
            said(#"{"jwt": {"jwks_url": "https://x", "hmac_secret": "s"}}"#) == [
                "suite.json:10:71: error: rule 'jwt' for field 'access_token' takes one of 'jwks_url' and 'hmac_secret', not both"
            ])
        #expect(
            said(#"{"jwt": {"alg": ["RS256"], "hmac_secret": "s"}}"#) == [
                "suite.json:10:79: error: 'alg' in rule 'jwt' for field 'access_token' allows RS256, which an 'hmac_secret' cannot verify: give a 'jwks'"
            ])
        #expect(
            said(#"{"jwt": {"jwks": {"keys": [{"kty": "oct", "kid": "k", "k": "c2VjcmV0"}]}}}"#) == []
        )
        #expect(
            said(#"{"jwt": {"jwks": {"key": []}}}"#) == [
                #"suite.json:10:80: error: 'jwks' in rule 'jwt' for field 'access_token': a key set needs a "keys" array (RFC 7517 §5)"#
            ])
        #expect(
            said(#"{"jwt": {"skew_seconds": -1}}"#) == [
                "suite.json:10:88: error: 'skew_seconds' in rule 'jwt' for field 'access_token' must be a number of seconds from 0 to 3600, got -1"
            ])
        #expect(
            said(#"{"jwt": {"iss": "${nope}"}}"#).first?.contains("undefined variable or capture '${nope}'") == true)
        #expect(said(#"{"jwt": {"jwks_file": "missing.json"}}"#).first?.contains("'jwks_file' missing.json: ") == true)
        #expect(
            said(#"{"jwt": {"claims_matching": {"iss": "("}}}"#).first?.contains(
                "'claims_matching' in rule 'jwt' for field 'access_token': \"(\" is not a usable regular expression")
                == true)
    }

    /// A key set file is read at load, relative to the suite's folder; the check then verifies with it.
    @Test func aKeySetFileIsReadBesideTheSuite() throws {
        let path = TestPaths.writeSuite(suite(#"{"jwt": {"jwks_file": "keys/set.json", "alg": ["ES256"]}}"#))
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("keys")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try JWTFixtures.keySet.encoded().write(to: folder.appendingPathComponent("set.json"))
        let loaded = try SuiteLoader().load(path).get()
        let rule = loaded.cases[0].expect.fields[0].rules[0]
        let values = RunValues(variables: [:], unset: [:])
        var check = try #require(JWTCheck.make(FieldPath("access_token")!, rule, presence: .rule, values: values))
        check.now = { JWTFixtures.now }
        let token = JWTFixtures.token("ES256", kid: "p256")
        #expect(messages(check, response(body: JWTFixtures.body(token))).isEmpty)
        #expect(
            messages(check, response(body: JWTFixtures.body(JWTFixtures.tampered(token)))) == [
                #"failure: access_token: JWT signature (ES256, kid "p256") does not verify with the key set keys/set.json"#
            ])
    }

    /// A key set URL whose optional variable is not set leaves the signature unverified, with a note naming
    /// the variable and its environment variable; a set URL uses the key set the run fetched.
    @Test func aKeySetURLTakesTheRunsFetch() throws {
        let variables = #"{"jwks_url": {"value": "${env:ACME_JWKS_URL}", "required": false}}"#
        let loaded = try TestPaths.loadSuite(suite(#"{"jwt": {"jwks_url": "${jwks_url}"}}"#, variables: variables))
        let rule = loaded.cases[0].expect.fields[0].rules[0]
        let unset = VariableResolver.resolve(loaded, environment: [:], overrides: [:])
        let token = JWTFixtures.token("RS256", kid: "rsa")
        var check = try #require(JWTCheck.make(FieldPath("access_token")!, rule, presence: .rule, values: unset))
        check.now = { JWTFixtures.now }
        #expect(
            messages(check, response(body: JWTFixtures.body(token))) == [
                "note: access_token: JWT signature not verified: variable 'jwks_url' (ACME_JWKS_URL) is not set"
            ])
        var set = VariableResolver.resolve(loaded, environment: ["ACME_JWKS_URL": "/keys"], overrides: [:])
        set.keySets["/keys"] = .keys(JWTFixtures.parsedKeySet, origin: "the key set /keys")
        check = try #require(JWTCheck.make(FieldPath("access_token")!, rule, presence: .rule, values: set))
        check.now = { JWTFixtures.now }
        #expect(messages(check, response(body: JWTFixtures.body(token))).isEmpty)
        set.keySets["/keys"] = .failed("the key set /keys answered 404, not 200 with a JWK Set")
        check = try #require(JWTCheck.make(FieldPath("access_token")!, rule, presence: .rule, values: set))
        #expect(
            messages(check, response(body: JWTFixtures.body(token))) == [
                #"failure: access_token: JWT signature (RS256, kid "rsa") not verified: the key set /keys answered 404, not 200 with a JWK Set"#
            ])
    }

    /// An issued `id_token` is secret in every suite, listed in `secret_fields` or not, like the access and
    /// refresh tokens; the finder then finds it even in a body cut short.
    @Test func issuedTokensAreSecretInEverySuite() throws {
        let loaded = try TestPaths.loadSuite(suite(#""jwt""#))
        #expect(loaded.secretFields.map(\.description) == ["access_token", "refresh_token", "id_token"])
        let finder = SecretFieldFinder(fields: loaded.secretFields)
        #expect(
            finder.values(in: Data(#"{"id_token":"eyJ.idt.sig","access_token":"eyJ.cut"#.utf8)) == [
                "eyJ.idt.sig", "eyJ.cut",
            ])
    }

    /// Keys that cannot verify are kept aside with the reason; a token naming one hears it.
    @Test func keySetsAreReadStrictly() throws {
        let set = try JSONWebKeySet.read(
            JSONValue.decode(
                Data(
                    #"{"keys": [{"kty": "oct", "kid": "sym", "k": "c2VjcmV0"}, {"kty": "RSA", "kid": "small", "n": "AQAB", "e": "AQAB"}, {"kty": "EC", "crv": "P-256", "kid": "off", "x": "AQAB", "y": "AQAB"}, {"kty": "EC", "crv": "secp256k1", "kid": "k1", "x": "AQ", "y": "AQ"}, 7]}"#
                        .utf8))!)
        #expect(set.keys.isEmpty)
        #expect(
            set.refused.map(\.reason) == [
                #"a key "sym" is a symmetric key (kty "oct"): a published key set holds public keys only"#,
                #"a key "small" is an RSA key of about 24 bits; conform verifies 2048-8192"#,
                #"a key "off" is not a point on P-256"#,
                #"a key "k1" is an EC key on "secp256k1", not P-256, P-384 or P-521"#,
                "a key is a JSON number, not an object",
            ])
        #expect(
            set.candidates(for: .rs256, keyID: "sym").failureText
                == #"kid "sym" names a key conform cannot use: a key "sym" is a symmetric key (kty "oct"): a published key set holds public keys only"#
        )
        let many = JSONValue.object(["keys": .array(Array(repeating: .object([:]), count: 101))])
        #expect(throws: JWKSError.set("a key set of 101 keys, more than the 100 conform reads")) {
            try JSONWebKeySet.read(many)
        }
        #expect(throws: JWKSError.set("a key set that is not JSON")) { try JSONWebKeySet.parse(Data("{".utf8)) }
    }

    @Test func aKeyForEncryptionOrAnotherAlgorithmIsNotUsed() throws {
        var keySet = JWTFixtures.keySet
        guard case .object(var top) = keySet, case .array(var keys)? = top["keys"], case .object(var rsa) = keys[0]
        else { return }
        rsa["use"] = .string("enc")
        keys[0] = .object(rsa)
        top["keys"] = .array(keys)
        keySet = .object(top)
        let encryption = try JSONWebKeySet.read(keySet)
        #expect(
            encryption.candidates(for: .rs256, keyID: "rsa").failureText
                == #"the key of kid "rsa" is for encryption (use "enc"), not for signatures"#)
        rsa["use"] = nil
        rsa["alg"] = .string("PS256")
        keys[0] = .object(rsa)
        top["keys"] = .array(keys)
        let pinned = try JSONWebKeySet.read(.object(top))
        #expect(
            pinned.candidates(for: .rs256, keyID: "rsa").failureText
                == #"the key of kid "rsa" is for alg PS256, not RS256"#)
    }
}

extension Result where Failure == JWKSError {
    var failureText: String? {
        if case .failure(let error) = self { return error.description }
        return nil
    }
}
