import ConformSupport
import NIOCore
import X509

/// The search for a path from a server's certificate, through the intermediates it presented, towards a
/// trusted root: bounded, as browsers and Go bound theirs since the path-building attacks.
///
/// A server that sends K levels of M intermediates sharing subject and key (each a valid issuer of every
/// certificate of the level below) offers M^K paths, and a verifier that tries them all (swift-certificates'
/// own search does) works for minutes. This search is a depth-first walk over the presented certificates
/// that yields one candidate path at a time, each to be handed to the verifier alone, so that the verifier's
/// own search over it is linear; it stops at the first of its bounds (``Limits``) or the deadline.
///
/// A path is the intermediates above the leaf, in order. A path is a candidate when its top certificate's
/// issuer is the subject of a trusted root (the verifier decides whether one of them signed it), or when no
/// presented certificate can extend it (the verifier then says why it is not trusted).
struct CertificatePathSearch {
    /// The bounds of the search. The work is at most `candidatePaths × intermediatesPerPath ×
    /// issuersPerCertificate` signature checks here, plus the verifier's on each candidate path.
    struct Limits: Sendable, Equatable {
        /// Presented certificates considered as issuers of one certificate (same subject as its issuer,
        /// not already in the path), in order of preference: more come only from a hostile server, or one
        /// that cross-signs an authority more times than the web has ever needed.
        var issuersPerCertificate = 4
        /// Intermediates between the leaf and a root: real chains have one to three.
        var intermediatesPerPath = 8
        /// Candidate paths handed to the verifier before the search gives up.
        var candidatePaths = 32

        static let standard = Limits()
    }

    /// What the search has next.
    enum Step: Equatable {
        /// A candidate path: the intermediates above the leaf, in order.
        case candidate([Certificate])
        /// Every path was tried.
        case exhausted
        /// The search stopped at a bound; the words say which.
        case stopped(String)
    }

    let limits: Limits
    private let leaf: Certificate
    /// The presented certificates (the leaf excluded, each once) by subject, in the order they came.
    private let bySubject: [DistinguishedName: [Certificate]]
    private let presentedCount: Int
    private let rootSubjects: Set<DistinguishedName>
    /// Paths still to be extended or tried, the next on top.
    private var pending: [[Certificate]] = [[]]
    /// Candidate paths yielded so far.
    private(set) var candidates = 0
    /// Signatures checked so far while extending paths.
    private(set) var signatureChecks = 0

    init(leaf: Certificate, presented: [Certificate], rootSubjects: Set<DistinguishedName>, limits: Limits = .standard)
    {
        self.leaf = leaf
        self.limits = limits
        self.rootSubjects = rootSubjects
        var seen: Set<Certificate> = [leaf]
        var bySubject: [DistinguishedName: [Certificate]] = [:]
        for certificate in presented where seen.insert(certificate).inserted {
            bySubject[certificate.subject, default: []].append(certificate)
        }
        self.bySubject = bySubject
        self.presentedCount = seen.count
    }

    /// The next candidate path, or why there is none. `deadline` and `abandoned` are checked before every
    /// certificate is extended, so that the search ends with the handshake's time or the handshake itself.
    mutating func next(deadline: NIODeadline, timeout: Double, abandoned: () -> Bool = { false }) -> Step {
        while let path = pending.popLast() {
            if NIODeadline.now() >= deadline {
                return .stopped("the \(MessageText.number(timeout)) s timeout ran out")
            }
            if abandoned() { return .stopped("the handshake ended") }
            let tip = path.last ?? leaf
            let issuers = path.count < limits.intermediatesPerPath ? self.issuers(of: tip, above: path) : []
            let isCandidate = issuers.isEmpty || rootSubjects.contains(tip.issuer)
            if isCandidate, candidates == limits.candidatePaths {
                return .stopped(
                    "the server's \(presentedCount) certificates form more paths than conform tries (\(limits.candidatePaths) paths of at most \(limits.intermediatesPerPath) intermediates, \(limits.issuersPerCertificate) issuers per certificate), and none of those tried leads to a trusted root"
                )
            }
            for issuer in issuers.reversed() { pending.append(path + [issuer]) }
            if isCandidate {
                candidates += 1
                return .candidate(path)
            }
        }
        return .exhausted
    }

    /// The presented certificates that issued `tip`: its issuer's name as their subject, not already in the
    /// path (subject, key and names, as swift-certificates and RFC 4158 §5.2 compare them), and a valid
    /// signature; the first ``Limits/issuersPerCertificate`` of them, those whose key identifier matches the
    /// tip's authority key identifier first.
    private mutating func issuers(of tip: Certificate, above path: [Certificate]) -> [Certificate] {
        guard var named = bySubject[tip.issuer] else { return [] }
        if let authority = try? tip.extensions.authorityKeyIdentifier?.keyIdentifier {
            // A stable partition: matching identifiers first, the order of arrival kept within each part.
            let matching = named.filter { (try? $0.extensions.subjectKeyIdentifier?.keyIdentifier) == authority }
            named = matching + named.filter { (try? $0.extensions.subjectKeyIdentifier?.keyIdentifier) != authority }
        }
        var found: [Certificate] = []
        var considered = 0
        for candidate in named where !Self.contains([leaf] + path, candidate) {
            guard considered < limits.issuersPerCertificate else { break }
            considered += 1
            signatureChecks += 1
            if candidate.publicKey.isValidSignature(tip.signature, for: tip) { found.append(candidate) }
        }
        return found
    }

    private static func contains(_ path: [Certificate], _ certificate: Certificate) -> Bool {
        path.contains {
            $0.subject == certificate.subject && $0.publicKey == certificate.publicKey
                && (try? $0.extensions.subjectAlternativeNames) == (try? certificate.extensions.subjectAlternativeNames)
        }
    }
}
