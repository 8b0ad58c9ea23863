import ConformSupport
import Foundation

/// Sends prepared requests and records each exchange: timing, capped body, failure. The runner sees only
/// this protocol; ``HTTPTransport`` is the implementation on SwiftNIO.
package protocol Transport: Sendable {
    /// Sends one request. Never throws: a failure is part of the exchange. Cancelling the calling task
    /// cancels the request promptly (its connection is closed) and the exchange fails with `.cancelled`.
    func send(_ request: PreparedRequest) async -> Exchange
    /// Closes every connection; `send` must not be called afterwards.
    func shutdown() async
    /// Where tasks that send through this transport had best run, if it has a preference: for
    /// ``HTTPTransport``, one of its event loops, so that a request, its response and the caller's work
    /// between them need no hop between threads.
    @available(macOS 15.0, *)
    var taskExecutor: (any TaskExecutor)? { get }
}

extension Transport {
    @available(macOS 15.0, *)
    package var taskExecutor: (any TaskExecutor)? { nil }
}

/// How a transport behaves: its bounds, TLS and proxy.
package struct TransportConfiguration: Sendable {
    /// Bounds every wait of one exchange together: the pool, name resolution, connect, proxy CONNECT, TLS
    /// handshake and the exchange itself.
    var timeoutSeconds: Double
    /// Response bodies are read up to this size; a longer one fails with `.bodyTooLarge`.
    var maxBodyBytes: Int
    /// Concurrent connections to one (scheme, host, port, proxy); requests beyond it wait for a free one.
    var maxConnectionsPerHost: Int
    var tls: TLSClientOptions
    var proxy: ProxyConfiguration

    package init(
        timeoutSeconds: Double = ConformDefaults.requestTimeoutSeconds,
        maxBodyBytes: Int = ConformDefaults.maxResponseBodyBytes, maxConnectionsPerHost: Int = 8,
        tls: TLSClientOptions = TLSClientOptions(), proxy: ProxyConfiguration = .none
    ) {
        self.timeoutSeconds = timeoutSeconds
        self.maxBodyBytes = maxBodyBytes
        self.maxConnectionsPerHost = maxConnectionsPerHost
        self.tls = tls
        self.proxy = proxy
    }
}

/// Why a transport could not be set up: reported before anything is sent.
package enum TransportSetupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A `--cacert` bundle cannot be read.
    case unreadableCACertificates(path: String, reason: String)
    /// A `--cacert` bundle holds no certificate, or one that cannot be decoded.
    case invalidCACertificates(path: String, reason: String)
    /// The client certificate cannot be read or decoded.
    case invalidClientCertificate(path: String, reason: String)
    /// The client key cannot be read or decoded.
    case invalidClientKey(path: String, reason: String)
    /// A client certificate was given without its key, or a key without its certificate.
    case incompleteClientIdentity
    /// The client key is not the private key of the client certificate.
    case clientKeyMismatch(certificatePath: String, keyPath: String)
    /// The proxy URL cannot be used.
    case invalidProxy(url: String, reason: String)
    /// The TLS library refused the configuration.
    case tlsConfiguration(String)

    package var description: String {
        switch self {
        case .unreadableCACertificates(let path, let reason):
            "cannot read the CA certificates in \(path): \(reason)"
        case .invalidCACertificates(let path, let reason):
            "\(path) is not a PEM bundle of CA certificates: \(reason)"
        case .invalidClientCertificate(let path, let reason):
            "cannot use the client certificate \(path): \(reason)"
        case .invalidClientKey(let path, let reason):
            "cannot use the client key \(path): \(reason)"
        case .incompleteClientIdentity:
            "a client certificate needs its private key, and a key its certificate: give both"
        case .clientKeyMismatch(let certificatePath, let keyPath):
            "the key \(keyPath) is not the private key of the certificate \(certificatePath)"
        case .invalidProxy(let url, let reason):
            "invalid proxy \(url): \(reason)"
        case .tlsConfiguration(let reason):
            "cannot set up TLS: \(reason)"
        }
    }
}
