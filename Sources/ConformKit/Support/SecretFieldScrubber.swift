import Foundation

/// Masks the values of secret fields by name in body text that may not parse: a truncated or malformed
/// body's tokens cannot be found by decoding, so `"access_token": "…` and `<Token>…` are masked by pattern.
///
/// A second line of defence beside ``SecretStore``, which masks values it knows.
struct SecretFieldScrubber: Sendable {
    private let patterns: [NSRegularExpression]

    init(fields: [FieldPath]) {
        patterns = fields.compactMap { path -> [NSRegularExpression]? in
            guard case .key(let name)? = path.components.last else { return nil }
            let escaped = NSRegularExpression.escapedPattern(for: name)
            return [
                // JSON: "name" : "value (up to the closing quote, or the end of a cut body)
                try? NSRegularExpression(pattern: "(\"\(escaped)\"\\s*:\\s*\")((?:[^\"\\\\]|\\\\.)*)"),
                // XML: <name attr…>value (up to the next tag, or the end of a cut body)
                try? NSRegularExpression(pattern: "(<\(escaped)(?:\\s[^>]*)?>)([^<]*)"),
            ].compactMap { $0 }
        }.flatMap { $0 }
    }

    func scrub(_ text: String) -> String {
        var result = text
        for pattern in patterns {
            let range = NSRange(result.startIndex..., in: result)
            result = pattern.stringByReplacingMatches(
                in: result, range: range, withTemplate: "$1\(ConformDefaults.redactionMask)")
        }
        return result
    }
}
