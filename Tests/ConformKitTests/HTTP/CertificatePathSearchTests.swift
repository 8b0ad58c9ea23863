import Crypto
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import Testing
import X509

@testable import ConformHTTP
@testable import ConformKit

/// A certificate path-building bomb, made in the test: a leaf for localhost, then `levels` levels of
/// `width` intermediates. Every certificate of a level has the same subject and key, so each is a valid
/// issuer of every certificate of the level below: `width^levels` paths. The top level is issued by
/// `root`, which the client trusts or not.
struct PathBomb {
    let leaf: MockCertificate
    /// Level 1 (the leaf's issuers) first.
    let intermediates: [MockCertificate]
    let root: MockCertificate

    var tls: MockTLS { MockTLS(certificate: leaf, chain: intermediates) }
    /// The leaf, then the intermediates, as the server presents them.
    var presented: [Certificate] { [leaf.certificate] + intermediates.map(\.certificate) }

    static func make(levels: Int, width: Int) throws -> PathBomb {
        let root = try MockCertificate.selfSigned(commonName: "bomb root", isAuthority: true)
        var issuer = (name: root.certificate.subject, key: root.key)
        var levelsMade: [[MockCertificate]] = []
        for level in stride(from: levels, through: 1, by: -1) {
            let key = P256.Signing.PrivateKey()
            let name = try DistinguishedName {
                CommonName("bomb level \(level)"); OrganizationName("conform")
            }
            let copies = try (0..<width).map { _ in
                try certificate(subject: name, key: key, issuer: issuer, authority: true)
            }
            levelsMade.insert(copies, at: 0)
            issuer = (name, Certificate.PrivateKey(key))
        }
        let leafName = try DistinguishedName {
            CommonName("bomb leaf"); OrganizationName("conform")
        }
        let leaf = try certificate(subject: leafName, key: P256.Signing.PrivateKey(), issuer: issuer, authority: false)
        return PathBomb(leaf: leaf, intermediates: levelsMade.flatMap { $0 }, root: root)
    }

    private static func certificate(
        subject: DistinguishedName, key: P256.Signing.PrivateKey,
        issuer: (name: DistinguishedName, key: Certificate.PrivateKey), authority: Bool
    ) throws -> MockCertificate {
        let now = Date()
        let extensions = try Certificate.Extensions {
            if authority {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
            } else {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([.dnsName("localhost")])
            }
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(86400),
            issuer: issuer.name, subject: subject, signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions,
            issuerPrivateKey: issuer.key)
        return MockCertificate(
            certificate: certificate, key: Certificate.PrivateKey(key), privateKeyPEM: key.pemRepresentation)
    }
}

/// The bounded search for a path to a trusted root (``CertificatePathSearch``), against the path-building
/// bomb that made conform's verification try millions of paths on the connection's event loop.
@Suite(.temporaryDirectories) struct CertificatePathSearchTests {
    private static let bombMessage =
        "TLS failed: certificate path search stopped after 32 candidate paths: the server's 49 certificates form more paths than conform tries (32 paths of at most 8 intermediates, 4 issuers per certificate), and none of those tried leads to a trusted root (subject O=conform,CN=bomb leaf, issuer O=conform,CN=bomb level 1)"

    /// 6 levels of 8 (262,144 paths) ran for minutes, deaf to --timeout, --max-time and signals; now every
    /// case ends with the bound it met, and the report holds them all.
    @Test func aPathBuildingBombEndsWithItsErrorAndACompleteReport() async throws {
        let bomb = try PathBomb.make(levels: 6, width: 8)
        let server = try await MockServer.start(
            MockRegistry.named("pitchpoint")!.endpoint(MockConfiguration()), configuration: MockConfiguration(),
            tls: bomb.tls)
        let suite = TestPaths.writeSuite(
            """
            {"format": 1, "name": "bomb", "cases": [
              {"name": "first", "request": {"method": "GET", "path": "/a"}, "expect": {"status": 200}},
              {"name": "second", "request": {"method": "GET", "path": "/b"}, "expect": {"status": 200}}
            ]}
            """)
        let outcome = await runConform([suite]) {
            $0.baseURL = server.baseURL.absoluteString
            $0.timeoutSeconds = 5
        }
        await server.stop()
        #expect(outcome.status == .failed)
        #expect(outcome.stdout.components(separatedBy: "error [tls]: \(Self.bombMessage)").count == 3)
        #expect(outcome.reportText.contains(#"tests="2" failures="0" errors="2" skipped="0""#))
        #expect(
            outcome.reportText.components(separatedBy: #"<error type="tls" message="\#(Self.bombMessage)">"#).count == 3
        )
        #expect(JUnitSchemas.problems(outcome.report) == [])
    }

    @Test func theSearchStopsAfterItsCandidatePaths() throws {
        let bomb = try PathBomb.make(levels: 6, width: 8)
        var search = CertificatePathSearch(
            leaf: bomb.leaf.certificate, presented: Array(bomb.presented.dropFirst()), rootSubjects: [])
        var paths: [[Certificate]] = []
        var step = search.next(deadline: .distantFuture, timeout: 5)
        while case .candidate(let path) = step {
            paths.append(path)
            step = search.next(deadline: .distantFuture, timeout: 5)
        }
        #expect(
            step
                == .stopped(
                    "the server's 49 certificates form more paths than conform tries (32 paths of at most 8 intermediates, 4 issuers per certificate), and none of those tried leads to a trusted root"
                ))
        #expect(paths.count == 32)
        #expect(Set(paths).count == 32)
        #expect(paths.allSatisfy { $0.count == 6 })
        // 4 issuers checked for each certificate extended: the leaf, one of each level 1 to 3, 3 of level 4 and
        // 9 of level 5 (the last of them to find the 33rd path).
        #expect(search.signatureChecks == 64)
    }

    @Test func theSearchStopsAtTheDeadlineAndWhenTheHandshakeEnds() throws {
        let bomb = try PathBomb.make(levels: 2, width: 2)
        var late = CertificatePathSearch(
            leaf: bomb.leaf.certificate, presented: Array(bomb.presented.dropFirst()), rootSubjects: [])
        #expect(late.next(deadline: .now() - .seconds(1), timeout: 5) == .stopped("the 5 s timeout ran out"))
        var ended = CertificatePathSearch(
            leaf: bomb.leaf.certificate, presented: Array(bomb.presented.dropFirst()), rootSubjects: [])
        #expect(
            ended.next(deadline: .distantFuture, timeout: 5, abandoned: { true }) == .stopped("the handshake ended"))
        var whole = CertificatePathSearch(
            leaf: bomb.leaf.certificate, presented: Array(bomb.presented.dropFirst()), rootSubjects: [])
        var count = 0
        while case .candidate = whole.next(deadline: .distantFuture, timeout: 5) { count += 1 }
        #expect(count == 4)
    }

    /// A chain of up to eight intermediates is followed to its root; a ninth is past the bound, and the chain
    /// does not lead to a trusted root as far as conform looks.
    @Test(arguments: [(8, true), (9, false)])
    func chainsAreFollowedUpToEightIntermediates(intermediates: Int, trusted: Bool) async throws {
        let chain = try PathBomb.make(levels: intermediates, width: 1)
        let client = try TLSClient(
            TLSClientOptions(additionalTrustRoots: [chain.root.certificate], useSystemTrustRoots: false))
        let presented = try ([chain.leaf] + chain.intermediates).map {
            try NIOSSLCertificate(bytes: $0.derBytes, format: .der)
        }
        let result = await client.verify(presented, host: "localhost")
        if trusted {
            #expect(throws: Never.self) { try result.get() }
        } else {
            #expect(
                result.failure
                    == TLSFailure(
                        .unknownIssuer, subject: "O=conform,CN=bomb leaf", issuer: "O=conform,CN=bomb level 1"))
        }
    }

    /// The search runs on NIO's thread pool: with its bounds lifted, a bomb's verification goes on for
    /// minutes, and a plain request on the same (only) event loop is answered meanwhile; cancelling the
    /// bomb's exchange ends it.
    @Test(.timeLimit(.minutes(1))) func theSearchNeverHoldsTheEventLoop() async throws {
        let bomb = try PathBomb.make(levels: 6, width: 8)
        let server = try await MockServer.start(
            MockRegistry.named("pitchpoint")!.endpoint(MockConfiguration()), configuration: MockConfiguration(),
            tls: bomb.tls)
        let plain = try ScriptedServer(steps: [.readRequest, .write(ScriptedServer.response(body: "prompt")), .hold])
        defer { plain.stop() }
        var tls = TLSClientOptions(useSystemTrustRoots: false)
        tls.pathSearchLimits = CertificatePathSearch.Limits(
            issuersPerCertificate: 8, intermediatesPerPath: 8, candidatePaths: .max)
        let transport = try HTTPTransport(
            TransportConfiguration(timeoutSeconds: 20, tls: tls), eventLoopThreads: 1)
        let finished = NIOLockedValueBox(false)
        let bombed = Task {
            let exchange = await transport.send(TransportTest.request(server.baseURL.appendingPathComponent("x")))
            finished.withLockedValue { $0 = true }
            return exchange
        }
        try await Task.sleep(for: .seconds(1))
        let prompt = await transport.send(TransportTest.request(plain.url()))
        let bombFinishedFirst = finished.withLockedValue { $0 }
        bombed.cancel()
        let cancelled = await bombed.value
        await transport.shutdown()
        await server.stop()
        #expect(TransportTest.text(prompt) == "prompt")
        #expect(!bombFinishedFirst)
        #expect(cancelled.failure == .cancelled)
    }
}

extension Result {
    fileprivate var failure: Failure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }
}
