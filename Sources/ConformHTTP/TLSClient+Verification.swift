import ConformSupport
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import X509

/// The trust roots, read once: the store the verifier searches, and their subjects for the path search.
struct TrustRoots: Sendable {
    let store: CertificateStore
    let subjects: Set<DistinguishedName>

    init(_ certificates: [Certificate]) {
        store = CertificateStore(certificates)
        subjects = Set(certificates.map(\.subject))
    }
}

/// The verifications running off the event loops. Each ends by completing its promise on a connection's
/// event loop, so the transport's shutdown waits for them (``TLSClient/shutdown()``); once it has begun, a
/// search still running stops at its next step.
final class RunningVerifications: Sendable {
    private struct State {
        var running = 0
        var closing = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = NIOLockedValueBox(State())

    func begin() {
        state.withLockedValue { $0.running += 1 }
    }

    func end() {
        let waiters = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            state.running -= 1
            guard state.running == 0 else { return [] }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    var isClosing: Bool { state.withLockedValue { $0.closing } }

    /// Returns once no verification runs.
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLockedValue { state -> Bool in
                state.closing = true
                if state.running == 0 { return true }
                state.waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }
}

/// The verification of each server's chain with swift-certificates, so that a refused handshake says why,
/// with a bounded search for the path (``CertificatePathSearch``), off the event loop.
extension TLSClient {
    /// Verifies on the client's own threads (as many as the transport has event loops), never on the
    /// connection's event loop: however long it takes, the loop's timers (the deadline), cancellations (a
    /// signal, `--max-time`) and other connections go on. Nor on Swift's shared pool, or a pool shared with
    /// other work in the process (the checks of other samples, name resolution), where it would wait for a
    /// thread, and the handshake would look slow for the client's sake, not the server's.
    func verify(
        _ presented: [NIOSSLCertificate], host: String, notes: HandshakeNotes, deadline: NIODeadline,
        timeout: Double, answering promise: EventLoopPromise<NIOSSLVerificationResultWithMetadata>
    ) {
        verifications.begin()
        let verification: @Sendable () async -> Void = { [self] in
            defer { verifications.end() }
            switch await verify(presented, host: host, deadline: deadline, timeout: timeout, notes: notes) {
            case .success:
                promise.succeed(.certificateVerified(VerificationMetadata(nil)))
            case .failure(let reason):
                notes.set(reason)
                promise.succeed(.failed)
            }
        }
        if #available(macOS 15.0, *) {
            Task(executorPreference: ThreadPoolTaskExecutor(verificationThreads()), operation: verification)
        } else {
            Task(operation: verification)
        }
    }

    /// Waits for the verifications still running (whose handshakes have ended: they stop at their next
    /// step), so that none completes its promise on an event loop that has shut down.
    func shutdown() async {
        await verifications.close()
        let pool = verificationPool.withLockedValue { pool in
            defer { pool = nil }
            return pool
        }
        try? await pool?.shutdownGracefully()
    }

    /// Started with the first verification: a run over plain http starts no thread for it.
    private func verificationThreads() -> NIOThreadPool {
        verificationPool.withLockedValue { pool in
            if let pool { return pool }
            let started = NIOThreadPool(numberOfThreads: HTTPTransport.defaultEventLoopThreads)
            started.start()
            pool = started
            return started
        }
    }

    /// Read once, under one lock: two first handshakes at once would otherwise both parse the system's
    /// bundle (some hundreds of certificates); the second now waits for the first's store.
    func trustRoots() -> TrustRoots {
        roots.withLockedValue { cached in
            if let cached { return cached }
            var certificates = extraRoots
            if let systemBundlePath, let bundle = try? Self.readBundle(systemBundlePath) { certificates += bundle }
            let made = TrustRoots(certificates)
            cached = made
            return made
        }
    }

    /// Verifies the chain the server presented: leads to a trusted root, every certificate within its
    /// dates, and the leaf for `host`. The failure names the first of these that does not hold, or the
    /// bound at which the search for a path stopped (``CertificatePathSearch``): the number of paths, the
    /// `deadline`, or the end of the handshake that `notes` says.
    func verify(
        _ presented: [NIOSSLCertificate], host: String, deadline: NIODeadline = .distantFuture,
        timeout: Double = ConformDefaults.requestTimeoutSeconds, notes: HandshakeNotes? = nil
    ) async -> Result<Void, TLSFailure> {
        let certificates = presented.compactMap { try? Certificate(derEncoded: $0.toDERBytes()) }
        guard let leaf = certificates.first, certificates.count == presented.count else {
            return .failure(TLSFailure(.other("the server's certificate cannot be decoded")))
        }
        let roots = trustRoots()
        let isIP = IPAddressText.isLiteral(host)
        let about = (subject: leaf.subject.description, issuer: leaf.issuer.description)
        var search = CertificatePathSearch(
            leaf: leaf, presented: Array(certificates.dropFirst()), rootSubjects: roots.subjects,
            limits: pathSearchLimits)
        // The first path that reached a root and broke a rule: the one whose failure is told.
        var refused: (path: [Certificate], chain: UnverifiedCertificateChain)?
        searching: while true {
            switch search.next(
                deadline: deadline, timeout: timeout,
                abandoned: { (notes?.hasHandshakeEnded ?? false) || verifications.isClosing })
            {
            case .candidate(let path):
                var verifier = Verifier(rootCertificates: roots.store) {
                    RFC5280Policy()
                    ServerIdentityPolicy(serverHostname: isIP ? nil : host, serverIP: isIP ? host : nil)
                }
                switch await verifier.validate(leaf: leaf, intermediates: CertificateStore(path)) {
                case .validCertificate:
                    return .success(())
                case .couldNotValidate(let failures):
                    if refused == nil, let chain = failures.first?.chain { refused = (path, chain) }
                }
            case .exhausted:
                break searching
            case .stopped(let reason):
                // A path that reached a root says more (a date, a name) than where the search stopped.
                if refused != nil { break searching }
                return .failure(
                    TLSFailure(
                        .pathSearchStopped(paths: search.candidates, reason: reason), subject: about.subject,
                        issuer: about.issuer))
            }
        }
        guard let refused else {
            let reason: TLSFailure.Reason = leaf.subject == leaf.issuer ? .selfSigned : .unknownIssuer
            return .failure(TLSFailure(reason, subject: about.subject, issuer: about.issuer))
        }
        let now = Date()
        for certificate in refused.chain {
            if now > certificate.notValidAfter {
                return .failure(
                    TLSFailure(
                        .expired(certificate.notValidAfter), subject: certificate.subject.description,
                        issuer: certificate.issuer.description))
            }
            if now < certificate.notValidBefore {
                return .failure(
                    TLSFailure(
                        .notYetValid(certificate.notValidBefore), subject: certificate.subject.description,
                        issuer: certificate.issuer.description))
            }
        }
        var chainOnly = Verifier(rootCertificates: roots.store) { RFC5280Policy() }
        if case .validCertificate = await chainOnly.validate(leaf: leaf, intermediates: CertificateStore(refused.path))
        {
            return .failure(
                TLSFailure(
                    .nameMismatch(host: host, names: Self.names(of: leaf)), subject: about.subject,
                    issuer: about.issuer))
        }
        // swift-certificates' own reason text embeds its type descriptions; it is not shown.
        return .failure(
            TLSFailure(
                .other(
                    "the certificate chain breaks a rule of RFC 5280 (such as an issuer that is not marked as a CA, or a key usage that does not allow signing)"
                ), subject: about.subject, issuer: about.issuer))
    }

    /// The certificate's subject alternative names: DNS names and IP addresses as text.
    static func names(of certificate: Certificate) -> [String] {
        guard let names = try? certificate.extensions.subjectAlternativeNames else { return [] }
        return names.compactMap { name in
            switch name {
            case .dnsName(let dns): dns
            case .ipAddress(let octets): IPAddressText.format(Array(octets.bytes))
            case .uniformResourceIdentifier(let uri): uri
            case .rfc822Name(let mail): mail
            default: nil
            }
        }
    }
}
