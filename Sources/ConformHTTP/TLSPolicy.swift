/// A suite's TLS requirements (`"tls": {"minimum_version": "1.2", "expiry_warning_days": 30}`).
package struct TLSPolicy: Sendable {
    package enum Version: Int, Sendable, Comparable, CustomStringConvertible, CaseIterable {
        case tls10 = 10, tls11, tls12, tls13

        /// Reads `"1.2"` or `"TLS 1.2"`.
        package init?(_ text: String) {
            let number = text.hasPrefix("TLS ") ? String(text.dropFirst(4)) : text
            guard let version = Self.allCases.first(where: { $0.number == number }) else { return nil }
            self = version
        }

        package var number: String { "1.\(rawValue - 10)" }
        package var description: String { "TLS \(number)" }
        package static func < (lhs: Version, rhs: Version) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    package var minimumVersion: Version = .tls12
    package var expiryWarningDays = 30

    package init() {}
}
