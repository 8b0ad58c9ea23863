import ConformJSON
import Foundation

/// The comparison rules: a number against a bound that may be a variable, a capture, another field of the
/// same response or the time of the check; array membership; scope sets (RFC 6749 §3.3).
///
/// Each is linear in the size of the values compared: a scope of a megabyte is split once and looked up in
/// a set, and a message names at most ``listedTokens`` tokens, each cut short.
extension FieldRule {
    /// The rule itself, or the rule inside `if_present`.
    var unlessPresent: FieldRule {
        if case .ifPresent(let inner) = self { return inner }
        return self
    }
}

extension FieldRuleCheck {
    static let listedTokens = 5

    /// `ext_expires_in: expected a number >= expires_in (3600), got number 1800`.
    func compare(
        _ value: FieldValue, _ comparison: NumericComparison, _ bound: NumericBound, in response: ResponseUnderTest
    ) -> [Finding] {
        let place = value.place(path)
        let limit: Double
        let shown: String
        let stable: String
        switch bound {
        case .number(let number):
            limit = number
            shown = JSONValue.format(number)
            stable = shown
        case .template(let template):
            let text = (resolved ?? "").trimmingCharacters(in: .whitespaces)
            guard let number = Double(text), number.isFinite else {
                return [
                    .failure(
                        .fieldRange,
                        "\(place): cannot compare with \(template.source): its value \(JSONValue.quoted(resolved ?? "")) is not a number",
                        location: .field(path.description))
                ]
            }
            limit = number
            shown = "\(JSONValue.format(number)) (\(template.source))"
            stable = template.source
        case .field(let other):
            guard let found = response.document.field(at: other) else {
                return [
                    .failure(
                        .fieldRange, "\(place): cannot compare with the field \(other): it is missing",
                        location: .field(path.description))
                ]
            }
            guard let number = numberValue(found) else {
                return [
                    .failure(
                        .fieldRange, "\(place): cannot compare with the field \(other): it is \(found.seen), not a number",
                        location: .field(path.description))
                ]
            }
            limit = number
            shown = "\(other) (\(JSONValue.format(number)))"
            stable = other.description
        case .now(let offset):
            limit = (Date().timeIntervalSince1970 + offset).rounded(.down)
            let written = offset == 0 ? "now" : offset > 0 ? "now + \(JSONValue.format(offset)) s" : "now - \(JSONValue.format(-offset)) s"
            shown = "\(written) (\(JSONValue.format(limit)))"
            stable = written
        }
        // The expected value as data leaves out figures that change from run to run (the time, a capture's
        // value), so that a baseline keyed by it still knows the finding next time.
        if let number = numberValue(value), comparison.holds(number, limit) { return [] }
        return [
            .failure(
                .fieldRange, "\(place): expected a number \(comparison.rawValue) \(shown), got \(value.seen)",
                location: .field(path.description), expected: "a number \(comparison.rawValue) \(stable)",
                actual: value.seen)
        ]
    }

    /// The bound in words before the response is seen.
    func described(_ bound: NumericBound) -> String {
        switch bound {
        case .number(let number): JSONValue.format(number)
        case .template(let template): described(template)
        case .field(let other): "the field \(other)"
        case .now(let offset): offset == 0 ? "now" : "now + \(JSONValue.format(offset)) s"
        }
    }

    /// `nil` when the array holds `expected`.
    func contains(_ value: FieldValue, _ expected: JSONValue?) -> String? {
        guard case .json(.array(let items)) = value else { return value.seen }
        guard let expected, items.contains(expected) else {
            let shown = items.prefix(Self.listedTokens).map(\.seenDescription).joined(separator: ", ")
            let more = items.count > Self.listedTokens ? ", …" : ""
            return items.isEmpty ? "an empty array" : "an array of \(items.count): \(shown)\(more)"
        }
        return nil
    }

    /// `nil` when the granted scopes fit the rule; else what was seen and the tokens that do not fit.
    func scopeProblem(_ granted: String, seen: String) -> String? {
        let wanted = Self.tokens(resolved ?? "")
        let wantedSet = Set(wanted)
        let got = Self.tokens(granted)
        let gotSet = Set(got)
        var seenExtra: Set<Substring> = []
        let extra = got.filter { !wantedSet.contains($0) && seenExtra.insert($0).inserted }
        var parts: [String] = []
        if !extra.isEmpty { parts.append("not requested: \(Self.list(extra))") }
        if case .scopeEquals = rule.unlessPresent {
            var seenMissing: Set<Substring> = []
            let missing = wanted.filter { !gotSet.contains($0) && seenMissing.insert($0).inserted }
            if !missing.isEmpty { parts.append("missing: \(Self.list(missing))") }
        }
        return parts.isEmpty ? nil : "\(seen); \(parts.joined(separator: "; "))"
    }

    /// RFC 6749 §3.3: scope tokens are separated by spaces (%x20); runs of spaces are tolerated.
    static func tokens(_ text: String) -> [Substring] {
        text.split(separator: " ", omittingEmptySubsequences: true)
    }

    static func list(_ tokens: [Substring]) -> String {
        let shown = tokens.prefix(listedTokens).map { JSONValue.quoted(String($0.prefix(100)), limit: 40) }
        let more = tokens.count > listedTokens ? " and \(tokens.count - listedTokens) more" : ""
        return shown.joined(separator: ", ") + more
    }
}
