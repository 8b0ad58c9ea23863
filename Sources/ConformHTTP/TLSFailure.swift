import ConformSupport
import Foundation
import NIOSSL

/// Why a TLS handshake failed, in words: the reason, and the certificate it concerns.
struct TLSFailure: Error, Sendable, Equatable, CustomStringConvertible {
    enum Reason: Sendable, Equatable {
        /// The chain does not lead to a trusted root.
        case unknownIssuer
        /// The server's certificate signed itself and is not trusted.
        case selfSigned
        /// A certificate of the chain expired on this date.
        case expired(Date)
        /// A certificate of the chain is valid only from this date.
        case notYetValid(Date)
        /// The certificate is not for the host conform connected to; its names.
        case nameMismatch(host: String, names: [String])
        /// Server and client share no TLS version.
        case protocolVersion
        /// The server asked for a client certificate and none (or none it accepts) was presented.
        case clientCertificateRequired
        /// The server sent an alert; its name in words.
        case alert(String)
        case handshakeTimedOut(seconds: Double)
        case closedDuringHandshake
        /// The search for a path to a trusted root stopped at one of its bounds after trying this many
        /// candidate paths, none trusted; the words say which bound.
        case pathSearchStopped(paths: Int, reason: String)
        case other(String)
    }

    var reason: Reason
    /// The server certificate's subject and issuer (RFC 4514), when one was presented.
    var subject: String?
    var issuer: String?

    init(_ reason: Reason, subject: String? = nil, issuer: String? = nil) {
        self.reason = reason
        self.subject = subject
        self.issuer = issuer
    }

    var description: String {
        var text: String
        switch reason {
        case .unknownIssuer:
            text =
                "unknown issuer: the certificate chain does not lead to a trusted root; if the server uses a private CA, trust it with --cacert"
        case .selfSigned:
            text = "self-signed: the server's certificate signed itself and is not trusted; trust it with --cacert"
        case .expired(let date):
            text = "expired: the certificate expired on \(Self.format(date))"
        case .notYetValid(let date):
            text = "not yet valid: the certificate is valid from \(Self.format(date))"
        case .nameMismatch(let host, let names):
            let list = names.isEmpty ? "no names" : names.joined(separator: ", ")
            text = "name mismatch: the certificate is for \(list), not \(host)"
        case .protocolVersion:
            text =
                "protocol version: the server and conform share no TLS version (conform offers TLS 1.2 and 1.3 unless a suite accepts older ones with \"tls\": {\"minimum_version\": …})"
        case .clientCertificateRequired:
            text = "client certificate required: the server requires a client certificate (mutual TLS) that it accepts"
        case .alert(let words):
            text = "the server refused the handshake: \(words)"
        case .handshakeTimedOut(let seconds):
            text = "the handshake did not complete within the \(MessageText.number(seconds)) s timeout"
        case .closedDuringHandshake:
            text = "the server closed the connection during the handshake"
        case .pathSearchStopped(let paths, let reason):
            text = "certificate path search stopped after \(paths) candidate paths: \(reason)"
        case .other(let words):
            text = words
        }
        var about: [String] = []
        if let subject { about.append("subject \(subject)") }
        if let issuer { about.append("issuer \(issuer)") }
        if !about.isEmpty { text += " (\(about.joined(separator: ", ")))" }
        return text
    }

    private static func format(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return formatter.string(from: date)
    }

    /// Maps an error of the TLS library to words through BoringSSL's reason token (the last field of
    /// `error:…:LIBRARY:FUNCTION:REASON`); the library's own text, which holds source file paths, never
    /// goes through. `nil` when the error is not the TLS library's.
    static func from(_ error: any Error) -> TLSFailure? {
        let stack: [BoringSSLInternalError]
        switch error {
        case NIOSSLError.handshakeFailed(let boringError), NIOSSLError.shutdownFailed(let boringError):
            stack = errorStack(boringError)
        case let boringError as BoringSSLError:
            stack = errorStack(boringError)
        case let error as NIOSSLError:
            return TLSFailure(.other(words(for: error)))
        case is NIOSSLExtraError:
            return TLSFailure(.other("the TLS library refused the server's certificate or name"))
        default:
            return nil
        }
        let tokens = stack.compactMap { reasonToken(in: $0.description) }
        if stack.contains(.eofDuringHandshake) { return TLSFailure(.closedDuringHandshake) }
        for token in tokens {
            if let reason = reason(for: token) { return TLSFailure(reason) }
        }
        if let token = tokens.first {
            return TLSFailure(
                .other("the handshake failed: \(token.lowercased().replacingOccurrences(of: "_", with: " "))"))
        }
        return TLSFailure(.other("the handshake failed"))
    }

    private static func errorStack(_ error: BoringSSLError) -> [BoringSSLInternalError] {
        switch error {
        case .sslError(let stack), .unknownError(let stack), .invalidSNIName(let stack), .failedToSetALPN(let stack):
            stack
        default: []
        }
    }

    /// `REASON` from `Error: 268435703 error:100000f7:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER at /…`.
    static func reasonToken(in text: String) -> String? {
        guard let start = text.range(of: "error:") else { return nil }
        let fields = text[start.upperBound...].split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
        guard fields.count == 4 else { return nil }
        let token = fields[3].prefix { $0.isUppercase || $0.isNumber || $0 == "_" }
        return token.isEmpty ? nil : String(token)
    }

    static func reason(for token: String) -> Reason? {
        switch token {
        case "TLSV1_ALERT_PROTOCOL_VERSION", "UNSUPPORTED_PROTOCOL", "WRONG_VERSION_NUMBER",
            "NO_SUPPORTED_VERSIONS_ENABLED":
            .protocolVersion
        case "TLSV1_ALERT_CERTIFICATE_REQUIRED", "SSLV3_ALERT_HANDSHAKE_FAILURE_CERTIFICATE_REQUIRED",
            "PEER_DID_NOT_RETURN_A_CERTIFICATE":
            .clientCertificateRequired
        case "SSLV3_ALERT_BAD_CERTIFICATE", "TLSV1_ALERT_UNKNOWN_CA", "TLSV1_ALERT_ACCESS_DENIED",
            "SSLV3_ALERT_CERTIFICATE_UNKNOWN", "TLSV1_ALERT_DECRYPT_ERROR":
            .alert("it did not accept conform's client certificate (\(alertWords(token)))")
        case "SSLV3_ALERT_HANDSHAKE_FAILURE":
            .alert("handshake failure (no cipher suite or parameters in common)")
        case "NO_SHARED_CIPHER", "NO_CIPHER_MATCH":
            .alert("no cipher suite in common")
        case "TLSV1_ALERT_UNRECOGNIZED_NAME":
            .alert("it does not serve the name conform asked for (unrecognized name)")
        case "TLSV1_ALERT_INTERNAL_ERROR":
            .alert("internal error")
        case "CERTIFICATE_VERIFY_FAILED":
            .other("the server's certificate was not accepted")
        default:
            nil
        }
    }

    private static func alertWords(_ token: String) -> String {
        token.replacingOccurrences(of: "SSLV3_ALERT_", with: "").replacingOccurrences(of: "TLSV1_ALERT_", with: "")
            .lowercased().replacingOccurrences(of: "_", with: " ")
    }

    private static func words(for error: NIOSSLError) -> String {
        switch error {
        case .uncleanShutdown: "the server closed the connection without a TLS close_notify"
        case .noCertificateToValidate: "the server presented no certificate"
        case .unableToValidateCertificate: "the server's certificate could not be validated"
        case .readInInvalidTLSState: "data arrived in an invalid TLS state"
        default: "the TLS layer failed"
        }
    }
}
