import Crypto
import Foundation
import NIOConcurrencyHelpers
import NIOHTTP1
import Testing
import _CryptoExtras

@testable import ConformKit

/// A token endpoint that takes `private_key_jwt` assertions: it keeps every assertion it received and
/// answers 200 only to one whose RS256 signature verifies with the client's public key.
final class AssertionEndpoint: MockEndpoint {
    let publicKey: _RSA.Signing.PublicKey
    private let received = NIOLockedValueBox<[String]>([])

    init(publicKey: _RSA.Signing.PublicKey) {
        self.publicKey = publicKey
    }

    var credentials: MockCredentials { MockCredentials(entries: []) }
    var usesUpCredentials: Bool { false }
    var assertions: [String] { received.withLockedValue { $0 } }

    func respond(to request: MockRequest) -> MockResponse {
        let form = String(decoding: request.body, as: UTF8.self)
        let assertion = form.split(separator: "&").first { $0.hasPrefix("client_assertion=") }
            .map { String($0.dropFirst("client_assertion=".count)) }
        var verified = false
        if let assertion, let token = try? JSONWebToken.decode(assertion) {
            received.withLockedValue { $0.append(assertion) }
            verified = publicKey.isValidSignature(
                _RSA.Signing.RSASignature(rawRepresentation: token.signature),
                for: SHA256.hash(data: token.signingInput), padding: .insecurePKCS1v1_5)
        }
        let body = verified
            ? #"{"access_token":"at-issued-to-the-assertion-0123","token_type":"Bearer","expires_in":3600}"#
            : #"{"error":"invalid_client"}"#
        return .full(
            status: verified ? .ok : .unauthorized, contentType: "application/json", body: Data(body.utf8),
            extraHeaders: [("Cache-Control", "no-store")])
    }
}

@Suite(.temporaryDirectories) struct ClientAssertionEndToEndTests {
    static let suite = """
        {
          "format": 1, "name": "jwt-auth",
          "variables": { "key": { "value": "${env:CLIENT_KEY}" } },
          "secret_fields": ["access_token"],
          "cases": [
            { "name": "token with private_key_jwt", "repeat": 3,
              "request": { "method": "POST", "path": "/token", "form": { "grant_type": "client_credentials" },
                           "client_auth": { "method": "private_key_jwt", "client_id": "app", "private_key": "${key}" } },
              "expect": { "status": 200, "fields": { "access_token": "non_empty" } } },
            { "name": "fails on purpose to print the request",
              "request": { "method": "POST", "path": "/token", "form": { "grant_type": "client_credentials" },
                           "client_auth": { "method": "private_key_jwt", "client_id": "app", "private_key": "${key}" } },
              "expect": { "status": 201 } }
          ]
        }
        """

    /// The assertions and the key are secrets in the console, the JUnit report and the HAR, while the
    /// endpoint verified every assertion it got.
    @Test func assertionsAndTheKeyNeverAppearInAnyOutput() async throws {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let directory = TestPaths.temporaryDirectory()
        let keyPath = directory.appendingPathComponent("client.pem").path
        try Data(key.pemRepresentation.utf8).write(to: URL(fileURLWithPath: keyPath))
        let harPath = directory.appendingPathComponent("run.har").path
        let endpoint = AssertionEndpoint(publicKey: key.publicKey)
        let server = try await MockServer.start(endpoint, configuration: MockConfiguration())
        let path = TestPaths.writeSuite(Self.suite)
        let outcome = await runConform(
            [path],
            arguments: {
                $0.baseURL = server.baseURL.absoluteString
                $0.harPath = harPath
                $0.verbose = true
            }, environment: ["CLIENT_KEY": keyPath])
        await server.stop()
        #expect(outcome.status == .failed)
        #expect(outcome.stdout.contains("token with private_key_jwt"))
        #expect(outcome.stdout.contains("failure [status]: expected 201, got 200"), "\(outcome.stdout)")
        let assertions = endpoint.assertions
        #expect(assertions.count == 4)
        #expect(Set(assertions).count == 4, "every sample sends a new assertion")
        let har = try String(contentsOfFile: harPath, encoding: .utf8)
        #expect(har.contains("client_assertion_type=urn"))
        #expect(har.contains("client_assertion=***"), "the HAR shows where the assertion went, masked")
        let everything = outcome.everything + har
        for assertion in assertions {
            #expect(!everything.contains(assertion))
            #expect(!everything.contains(String(assertion.suffix(40))), "the signature of an assertion leaked")
        }
        let body = key.pemRepresentation.split(separator: "\n").dropFirst().dropLast()
        #expect(body.count > 10)
        for line in body { #expect(!everything.contains(line)) }
        #expect(!everything.contains("at-issued-to-the-assertion"))
    }

    @Test func aGarbageKeyFileStopsTheRunBeforeSending() async throws {
        let keyPath = TestPaths.temporaryDirectory().appendingPathComponent("garbage.pem").path
        try Data("-----BEGIN PRIVATE KEY-----\nnot-base64-but-secret-text\n-----END PRIVATE KEY-----\n".utf8)
            .write(to: URL(fileURLWithPath: keyPath))
        let path = TestPaths.writeSuite(Self.suite)
        let (outcome, count) = try await StartedMock.runCounting(
            [path], environment: ["CLIENT_KEY": keyPath])
        #expect(outcome.status == .invalid)
        #expect(count == 0)
        #expect(
            outcome.stderr
                == "\(path):3:18: error: private key \"\(keyPath)\": its PEM private key is not one conform signs with (RSA of 2048-8192 bits, EC on P-256, P-384 or P-521)\n"
        )
        #expect(!outcome.everything.contains("not-base64-but-secret-text"))
    }
}
