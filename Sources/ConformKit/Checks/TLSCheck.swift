import ConformHTTP
import Foundation

/// What the TLS handshake of a new connection showed, judged by the suite's policy (`"tls"` in the suite,
/// ``TLSPolicy``): a protocol version below the minimum is a failure, a certificate that expires within
/// the warning window a warning. A reused connection was judged when it was made.
struct TLSCheck: Check {
    var policy: TLSPolicy
    /// "Now", for the days left: fixed in tests.
    var now: @Sendable () -> Date = { Date() }

    init(policy: TLSPolicy) {
        self.policy = policy
    }

    func evaluate(_ response: ResponseUnderTest) -> [Finding] {
        guard let facts = response.tls, case .new = response.timing.connection else { return [] }
        var findings: [Finding] = []
        if let version = TLSPolicy.Version(facts.version), version < policy.minimumVersion {
            findings.append(
                .failure(
                    .tlsVersion,
                    "\(facts.version) is below the minimum \(policy.minimumVersion) (the suite's \"tls\": {\"minimum_version\": …})"
                ))
        }
        if let notAfter = facts.notAfter, let days = facts.daysLeft(now: now()) {
            if days < policy.expiryWarningDays {
                let date = TLSFacts.day(notAfter)
                let left = days < 0 ? "expired" : "\(days) day\(days == 1 ? "" : "s") left"
                findings.append(
                    .warning(
                        .tlsExpiry,
                        "the certificate expires on \(date) (\(left)); conform warns \(policy.expiryWarningDays) days ahead"
                    ))
            }
        }
        return findings
    }
}

extension TLSFacts {
    /// `2026-12-02`, in UTC.
    static func day(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }

    /// Whole days from `now` until the certificate expires, negative once it has; `nil` without an expiry.
    func daysLeft(now: Date) -> Int? {
        notAfter.map { Int(($0.timeIntervalSince(now) / 86_400).rounded(.down)) }
    }

    /// The facts as report properties and lines: version, cipher, ALPN, certificate subject, issuer, names,
    /// expiry and days left.
    func properties(now: Date = Date()) -> [(name: String, value: String)] {
        var properties: [(String, String)] = [("version", version)]
        if let cipherSuite { properties.append(("cipher_suite", cipherSuite)) }
        if let alpn { properties.append(("alpn", alpn)) }
        if let subject { properties.append(("subject", subject)) }
        if let issuer { properties.append(("issuer", issuer)) }
        if !subjectAlternativeNames.isEmpty {
            properties.append(("subject_alternative_names", subjectAlternativeNames.joined(separator: ", ")))
        }
        if let notAfter, let days = daysLeft(now: now) {
            properties.append(("not_after", Self.day(notAfter)))
            properties.append(("days_left", String(days)))
        }
        return properties
    }

    /// `TLS 1.3, TLS_AES_128_GCM_SHA256, ALPN http/1.1; certificate CN=…, issued by …, for DNS:localhost, …,
    /// valid until 2026-12-02 (7 days left)`.
    func summary(now: Date = Date()) -> String {
        var parts = [version]
        if let cipherSuite { parts.append(cipherSuite) }
        if let alpn { parts.append("ALPN \(alpn)") }
        var line = parts.joined(separator: ", ")
        if let subject {
            line += "; certificate \(subject)"
            if let issuer, issuer != subject {
                line += ", issued by \(issuer)"
            } else if issuer != nil {
                line += ", self-signed"
            }
            if !subjectAlternativeNames.isEmpty { line += ", for \(subjectAlternativeNames.joined(separator: ", "))" }
            if let notAfter, let days = daysLeft(now: now) {
                line += ", valid until \(Self.day(notAfter)) (\(days) day\(days == 1 ? "" : "s") left)"
            }
        }
        return line
    }
}
