import Crypto
import Foundation
import Testing
import _CryptoExtras

@testable import ConformKit
@testable import conform

/// `client_secret_jwt` and `private_key_jwt` (RFC 7523 §2.2, OIDC Core §9): the assertion conform builds is
/// verified here with swift-crypto, signature and claims; the key files that cannot sign are refused before
/// anything is sent.
@Suite(.temporaryDirectories) struct ClientAssertionTests {
    nonisolated(unsafe) static let rsa = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    nonisolated(unsafe) static let ec = P256.Signing.PrivateKey()

    /// A suite with one token case whose `client_auth` is `auth` (JSON members without braces).
    static func suite(_ auth: String) -> String {
        """
        {
          "format": 1, "name": "s", "mock": "pitchpoint",
          "variables": { "secret": { "value": "s3cr3t value for hs256", "secret": true },
                         "key": { "value": "${env:KEY}", "required": false } },
          "cases": [
            { "name": "a",
              "request": { "method": "POST", "path": "/token", "form": { "grant_type": "client_credentials" },
                           "client_auth": { \(auth) } },
              "expect": { "status": 200 } }
          ]
        }
        """
    }

    /// The case prepared as a run would: the planner's problems, or the form fields of two samples.
    static func prepare(_ auth: String, key: String? = nil) throws -> (problems: [String], samples: [[String: String]], secrets: SecretStore) {
        let compiled = try SuiteCompiler().compile(try TestPaths.loadSuite(suite(auth))).get()
        var values = VariableResolver.resolve(compiled.suite, environment: key.map { ["KEY": $0] } ?? [:], overrides: [:])
        let secrets = SecretStore()
        let planner = RunPlanner(options: RunOptions(suitePaths: []), environment: [:], secrets: secrets)
        let problems = planner.clientKeys(compiled.suite, cases: compiled.suite.cases, values: &values).map {
            DiagnosticPrinter.line(for: $0).replacingOccurrences(of: #"^.*/suite\.json"#, with: "suite.json", options: .regularExpression)
        }
        guard problems.isEmpty else { return (problems, [], secrets) }
        let preparer = CasePreparer(
            compiled: compiled, baseURL: URL(string: "http://127.0.0.1:1")!, secrets: secrets)
        let prepared = try preparer.prepare(compiled.suite.cases[0], values: values)
        let samples = [prepared.requestToSend(), prepared.requestToSend()].map { request in
            var fields: [String: String] = [:]
            for pair in String(decoding: request.body ?? Data(), as: UTF8.self).split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? "" }
                fields[parts[0]] = parts.count > 1 ? parts[1] : ""
            }
            return fields
        }
        return ([], samples, secrets)
    }

    static func write(_ text: String, name: String = "key") -> String {
        let url = TestPaths.temporaryDirectory().appendingPathComponent(name)
        try? Data(text.utf8).write(to: url)
        return url.path
    }

    /// Decodes the assertion and checks what every assertion must hold; returns it for the signature check.
    static func checkedAssertion(_ fields: [String: String], audience: String = "http://127.0.0.1:1/token")
        throws -> JSONWebToken
    {
        #expect(fields["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        #expect(fields["grant_type"] == "client_credentials")
        #expect(fields["client_secret"] == nil)
        let token = try JSONWebToken.decode(try #require(fields["client_assertion"]))
        #expect(token.claims["iss"] == .string("app:1"))
        #expect(token.claims["sub"] == .string("app:1"))
        #expect(token.claims["aud"] == .string(audience))
        let iat = try #require(token.numericDate("iat"))
        #expect(try #require(token.numericDate("exp")) - iat == 60)
        #expect(abs(iat - Date().timeIntervalSince1970) < 30)
        guard case .string(let jti)? = token.claims["jti"] else { throw Failure("no jti") }
        #expect(jti.count == 36)
        #expect(token.headerString("typ") == "JWT")
        return token
    }

    @Test func clientSecretJWTIsAnHS256AssertionSignedWithTheSecret() throws {
        let (problems, samples, secrets) = try Self.prepare(
            #""method": "client_secret_jwt", "client_id": "app:1", "client_secret": "${secret}""#)
        #expect(problems.isEmpty)
        let first = try Self.checkedAssertion(samples[0])
        let second = try Self.checkedAssertion(samples[1])
        #expect(first.algorithm == "HS256")
        let key = SymmetricKey(data: Data("s3cr3t value for hs256".utf8))
        #expect(HMAC<SHA256>.isValidAuthenticationCode(first.signature, authenticating: first.signingInput, using: key))
        let wrong = SymmetricKey(data: Data("another secret".utf8))
        #expect(!HMAC<SHA256>.isValidAuthenticationCode(first.signature, authenticating: first.signingInput, using: wrong))
        #expect(first.claims["jti"] != second.claims["jti"], "every sample sends a new jti")
        #expect(secrets.contains(samples[0]["client_assertion"]!))
        #expect(secrets.contains(samples[1]["client_assertion"]!))
    }

    @Test func clientSecretJWTTakesAnotherHMACAndAnAudience() throws {
        let (_, samples, _) = try Self.prepare(
            #""method": "client_secret_jwt", "client_id": "app:1", "client_secret": "${secret}", "alg": "HS512", "audience": "https://issuer.example""#
        )
        let token = try Self.checkedAssertion(samples[0], audience: "https://issuer.example")
        #expect(token.algorithm == "HS512")
        let key = SymmetricKey(data: Data("s3cr3t value for hs256".utf8))
        #expect(HMAC<SHA512>.isValidAuthenticationCode(token.signature, authenticating: token.signingInput, using: key))
    }

    @Test func privateKeyJWTSignsWithAnRSAPEMKey() throws {
        let path = Self.write(Self.rsa.pemRepresentation)
        let (problems, samples, secrets) = try Self.prepare(
            #""method": "private_key_jwt", "client_id": "app:1", "private_key": "${key}""#, key: path)
        #expect(problems.isEmpty)
        let token = try Self.checkedAssertion(samples[0])
        #expect(token.algorithm == "RS256")
        #expect(token.headerString("kid") == nil)
        let signature = _RSA.Signing.RSASignature(rawRepresentation: token.signature)
        #expect(
            Self.rsa.publicKey.isValidSignature(
                signature, for: SHA256.hash(data: token.signingInput), padding: .insecurePKCS1v1_5))
        #expect(secrets.contains(Self.rsa.pemRepresentation))
    }

    @Test func privateKeyJWTTakesPS256WithAnRSAKey() throws {
        let path = Self.write(Self.rsa.pemRepresentation)
        let (_, samples, _) = try Self.prepare(
            #""method": "private_key_jwt", "client_id": "app:1", "private_key": "${key}", "alg": "PS256""#, key: path)
        let token = try Self.checkedAssertion(samples[0])
        #expect(token.algorithm == "PS256")
        let signature = _RSA.Signing.RSASignature(rawRepresentation: token.signature)
        #expect(Self.rsa.publicKey.isValidSignature(signature, for: SHA256.hash(data: token.signingInput), padding: .PSS))
    }

    @Test func privateKeyJWTSignsWithAnECJWKAndSendsItsKid() throws {
        let raw = Self.ec.publicKey.rawRepresentation
        let jwk = """
            {"kty":"EC","crv":"P-256","kid":"client-key-1","d":"\(Base64URL.encode(Self.ec.rawRepresentation))",
             "x":"\(Base64URL.encode(raw.prefix(32)))","y":"\(Base64URL.encode(raw.suffix(32)))"}
            """
        let path = Self.write(jwk, name: "key.json")
        let (problems, samples, secrets) = try Self.prepare(
            #""method": "private_key_jwt", "client_id": "app:1", "private_key": "${key}""#, key: path)
        #expect(problems.isEmpty)
        let token = try Self.checkedAssertion(samples[0])
        #expect(token.algorithm == "ES256")
        #expect(token.headerString("kid") == "client-key-1")
        let signature = try P256.Signing.ECDSASignature(rawRepresentation: token.signature)
        #expect(Self.ec.publicKey.isValidSignature(signature, for: token.signingInput))
        #expect(secrets.contains(Base64URL.encode(Self.ec.rawRepresentation)))
    }

    @Test func anECPEMKeySignsES256() throws {
        let path = Self.write(Self.ec.pemRepresentation)
        let (_, samples, _) = try Self.prepare(
            #""method": "private_key_jwt", "client_id": "app:1", "private_key": "${key}""#, key: path)
        let token = try Self.checkedAssertion(samples[0])
        let signature = try P256.Signing.ECDSASignature(rawRepresentation: token.signature)
        #expect(Self.ec.publicKey.isValidSignature(signature, for: token.signingInput))
    }

    /// Every key file that cannot sign is named with the reason, at the variable that holds its path.
    @Test func keyFilesThatCannotSignAreRefusedBeforeTheRun() throws {
        let auth = #""method": "private_key_jwt", "client_id": "app:1", "private_key": "${key}""#
        let weak = try _RSA.Signing.PrivateKey(unsafeKeySize: .init(bitCount: 1024))
        let cases: [(String, String)] = [
            ("", "it is empty"),
            ("not a key at all", "it is neither a PEM private key (-----BEGIN PRIVATE KEY-----) nor a JWK ({…})"),
            (Self.rsa.publicKey.pemRepresentation, #"it is a PEM "PUBLIC KEY", not a PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY"#),
            ("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "its PEM private key is not one conform signs with (RSA of 2048-8192 bits, EC on P-256, P-384 or P-521)"),
            (weak.pemRepresentation, "it is an RSA key of about 1024 bits; conform signs with 2048-8192"),
            (#"{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}"#, #"the JWK has no private member "d": a public key cannot sign"#),
            (#"{"kty":"oct","k":"c2VjcmV0"}"#, #"the JWK is a shared secret (kty "oct"): client_secret_jwt signs with client_secret"#),
            (#"{"keys":[]}"#, "the JWK is a JWK Set; the file must hold the one private key"),
            (#"{"kty":"EC","crv":"P-256","d":"!!"}"#, #"the JWK "d" is not base64url"#),
            (#"{"kty":"EC","crv":"secp256k1","d":"AQ"}"#, #"the JWK is an EC key on "secp256k1", not P-256, P-384 or P-521"#),
            (String(repeating: "A", count: 70_000), "it is larger than 64 KiB"),
        ]
        for (text, reason) in cases {
            let path = Self.write(text)
            let (problems, _, _) = try Self.prepare(auth, key: path)
            #expect(problems == [#"suite.json:4:18: error: private key "\#(path)": \#(reason)"#], "\(text.prefix(30))")
        }
        let (missing, _, _) = try Self.prepare(auth, key: "/nonexistent/conform-key.pem")
        #expect(missing == [#"suite.json:4:18: error: private key "/nonexistent/conform-key.pem": no such file"#])
        let folder = TestPaths.temporaryDirectory().path
        let (directory, _, _) = try Self.prepare(auth, key: folder)
        #expect(directory == [#"suite.json:4:18: error: private key "\#(folder)": it is a folder, not a regular file"#])
    }

    @Test func anAlgorithmThatDoesNotFitTheKeyIsRefused() throws {
        let path = Self.write(Self.rsa.pemRepresentation)
        let (problems, _, _) = try Self.prepare(
            #""method": "private_key_jwt", "client_id": "app:1", "private_key": "${key}", "alg": "ES256""#, key: path)
        #expect(
            problems == [
                "suite.json:8:120: error: 'alg' ES256 cannot sign with the private key (an RSA key); use RS256, RS384, RS512, PS256, PS384, PS512"
            ])
    }

    @Test func theLoaderNamesWhatTheMethodsNeed() {
        let diagnostics = [
            #""method": "private_key_jwt", "client_id": "a""#,
            #""method": "client_secret_jwt", "client_id": "a""#,
            #""method": "client_secret_jwt", "client_id": "a", "client_secret": "b", "alg": "RS256""#,
            #""method": "private_key_jwt", "client_id": "a", "private_key": "k", "alg": "HS256""#,
            #""method": "private_key_jwt", "client_id": "a", "private_key": "k", "alg": "none""#,
        ].map { TestPaths.suiteDiagnostics(Self.suite($0)) }
        #expect(
            diagnostics == [
                ["suite.json:8:35: error: missing required key 'private_key' in 'client_auth'"],
                ["suite.json:8:35: error: missing required key 'client_secret' in 'client_auth'"],
                ["suite.json:8:115: error: 'alg' RS256 cannot sign a client_secret_jwt assertion (HS256, HS384 or HS512)"],
                ["suite.json:8:111: error: 'alg' HS256 cannot sign a private_key_jwt assertion (an asymmetric algorithm)"],
                [#"suite.json:8:111: error: 'alg' "none" is not one of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA, HS256, HS384, HS512"#],
            ], "\(diagnostics)")
    }

    /// A method chosen by a variable needs its member once the variable has a value: checked before sending.
    @Test func aVariableMethodNeedsItsMember() throws {
        let text = Self.suite(#""method": "${key}", "client_id": "a", "client_secret": "b""#)
        let compiled = try SuiteCompiler().compile(try TestPaths.loadSuite(text)).get()
        var values = VariableResolver.resolve(compiled.suite, environment: ["KEY": "private_key_jwt"], overrides: [:])
        let planner = RunPlanner(options: RunOptions(suitePaths: []), environment: [:], secrets: SecretStore())
        #expect(
            planner.clientKeys(compiled.suite, cases: compiled.suite.cases, values: &values).map {
                DiagnosticPrinter.line(for: $0).replacingOccurrences(of: #"^.*/suite\.json"#, with: "suite.json", options: .regularExpression)
            } == [
                "suite.json:4:18: error: client authentication ${key} is private_key_jwt, which needs 'private_key' (a PEM or JWK file) in 'client_auth'"
            ])
    }
}
