import Foundation
import X509

/// How conform's client speaks TLS.
///
/// Trust: the system's roots (the bundle `SSL_CERT_FILE` names when it is set, as OpenSSL does, else the
/// distribution's bundle), plus `caCertificatePaths` (`--cacert`) and `additionalTrustRoots` (in memory,
/// such as an embedded mock's certificate). conform verifies the chain itself, so that a refusal says why.
package struct TLSClientOptions: Sendable {
    /// PEM bundles of CA certificates trusted on top of the system's.
    var caCertificatePaths: [String]
    /// Certificates trusted on top of the system's, already in memory.
    package var additionalTrustRoots: [Certificate]
    /// Trust the system's roots (off: only the roots given here).
    var useSystemTrustRoots: Bool
    /// Skip verification of the server's certificate (chain, dates and name) entirely.
    var insecure: Bool
    /// A PEM client certificate (chain) and its PEM private key, for mutual TLS (RFC 8705).
    var clientCertificatePath: String?
    var clientKeyPath: String?
    /// The environment read for `SSL_CERT_FILE`.
    var environment: [String: String]
    /// The oldest protocol version the client offers: TLS 1.2 unless a suite accepts older ones
    /// (`"tls": {"minimum_version": "1.1"}`), so that an old server is reached and judged, not refused.
    package var minimumVersion: TLSPolicy.Version = .tls12
    /// How far the search for a path from the server's certificate to a trusted root may go.
    var pathSearchLimits = CertificatePathSearch.Limits.standard

    package init(
        caCertificatePaths: [String] = [], additionalTrustRoots: [Certificate] = [], useSystemTrustRoots: Bool = true,
        insecure: Bool = false, clientCertificatePath: String? = nil, clientKeyPath: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.caCertificatePaths = caCertificatePaths
        self.additionalTrustRoots = additionalTrustRoots
        self.useSystemTrustRoots = useSystemTrustRoots
        self.insecure = insecure
        self.clientCertificatePath = clientCertificatePath
        self.clientKeyPath = clientKeyPath
        self.environment = environment
    }

    /// Where the system's roots are read from: `SSL_CERT_FILE` when set, else the first bundle that exists.
    var systemBundlePath: String? {
        if let path = environment["SSL_CERT_FILE"], !path.isEmpty { return path }
        return Self.distributionBundles.first { FileManager.default.isReadableFile(atPath: $0) }
    }

    static let distributionBundles = [
        "/etc/ssl/certs/ca-certificates.crt",  // Debian, Ubuntu, Alpine, Arch
        "/etc/pki/tls/certs/ca-bundle.crt",  // Fedora, RHEL
        "/etc/ssl/ca-bundle.pem",  // openSUSE
        "/etc/ssl/cert.pem",  // macOS, BSDs
    ]
}
