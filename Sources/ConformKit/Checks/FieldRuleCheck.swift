import ConformJSON
import ConformJSONSchema
import ConformSupport
import Foundation

/// One field meets one rule beyond its type: non-empty, JWT-shaped, equal, greater than, a date…
///
/// Templated values (`{"equals": "${refresh_token}"}`) are resolved before the check is made.
struct FieldRuleCheck: Check {
    var path: FieldPath
    var rule: FieldRule
    /// Resolved values of the rule's template, if it has one.
    var resolved: String?
    /// Who reports a missing field or an unreadable body instead of this rule.
    var presence: Presence

    /// When the case also checks its body, presence is that check's job: rules judge present values only.
    enum Presence: Sendable {
        /// Nothing else looks at the body: a missing field is this rule's failure.
        case rule
        /// A JSON model documents these paths (required or optional).
        case model(Set<String>)
        /// An XSD validates the document.
        case xmlSchema
        /// A JSON Schema validates the body: a field it requires is reported missing by the schema.
        case jsonSchema(JSONSchema)
    }

    init(path: FieldPath, rule: FieldRule, resolved: String? = nil, presence: Presence = .rule) {
        self.path = path
        self.rule = rule
        self.resolved = resolved
        self.presence = presence
    }

    func evaluate(_ response: ResponseUnderTest) -> [Finding] {
        if case .absent = rule {
            guard let value = response.document.field(at: path) else { return [] }
            return [failure("\(value.place(path)): \(expectation), got \(value.seen)", actual: value.seen)]
        }
        switch response.document {
        case .none, .unreadable:
            if case .rule = presence {
                return [failure("\(path): \(expectation), got no readable body", actual: "no readable body")]
            }
            return []
        case .json, .xml:
            break
        }
        guard let value = response.document.field(at: path) else {
            if case .ifPresent = rule { return [] }
            return missingFieldFindings(response)
        }
        if case .compare(let comparison, let bound) = rule.unlessPresent {
            return compare(value, comparison, bound, in: response)
        }
        guard let problem = problem(with: value, deadline: response.deadline) else { return [] }
        return [failure("\(value.place(path)): \(expectation), got \(problem)", actual: problem)]
    }

    private func missingFieldFindings(_ response: ResponseUnderTest) -> [Finding] {
        switch (presence, response.document) {
        case (.model(let documented), _) where documented.contains(path.description):
            return []
        case (.xmlSchema, .xml(let summary)) where !summary.validityErrors.isEmpty:
            return []
        case (.jsonSchema(let schema), _) where schemaReportsMissing(response.violations(of: schema)):
            return []
        default:
            return [failure("\(path): \(expectation), got nothing (field missing)", actual: "nothing (field missing)")]
        }
    }

    /// A failure of this rule at its field: the expectation in words is the expected value.
    private func failure(_ message: String, actual: String) -> Finding {
        let expected = expectation.hasPrefix("expected ") ? String(expectation.dropFirst(9)) : expectation
        return .failure(checkID, message, location: .field(path.description), expected: expected, actual: actual)
    }

    /// The identity of the rule's check: `field.equals`, `field.range`…
    var checkID: CheckID {
        switch rule {
        case .nonEmpty: .fieldNonEmpty
        case .absent: .fieldAbsent
        case .integer: .fieldType
        case .differsFrom: .fieldDiffers
        case .ifPresent(let inner): FieldRuleCheck(path: path, rule: inner).checkID
        case .jwt, .jwtClaims: .fieldJWT
        case .equals, .equalsTemplate, .equalsIgnoringCase: .fieldEquals
        case .greaterThan, .atLeast, .lessThan: .fieldRange
        case .matches: .fieldMatches
        case .oneOf: .fieldOneOf
        case .date: .fieldDate
        case .compare: .fieldRange
        case .contains, .containsTemplate: .fieldContains
        case .scopeSubsetOf, .scopeEquals: .fieldScope
        }
    }

    /// The schema already says the field is missing: a `required` violation at its parent names it.
    private func schemaReportsMissing(_ violations: [JSONSchemaViolation]) -> Bool {
        guard case .key(let name)? = path.components.last else { return false }
        let parent = FieldPath(components: Array(path.components.dropLast()))
        let parentPath = parent.components.isEmpty ? "" : parent.description
        return violations.contains {
            $0.keyword == "required" && $0.instancePath == parentPath && $0.message.contains(JSONValue.quoted(name))
        }
    }

    /// What the rule expects, in words: `expected "Bearer" (ignoring case)`.
    var expectation: String {
        switch rule {
        case .nonEmpty: "expected a non-empty string"
        case .absent: "expected no such field"
        case .integer: "expected an integer"
        case .differsFrom(let template): "expected a value other than \(template.source)"
        case .ifPresent(let inner): FieldRuleCheck(path: path, rule: inner, resolved: resolved).expectation
        case .jwt, .jwtClaims: "expected a JWT (three base64url parts, a JSON header with \"alg\")"
        case .equals(let value): "expected \(value.seenDescription)"
        case .equalsTemplate(let template): "expected \(described(template))"
        case .equalsIgnoringCase(let template): "expected \(described(template)) (ignoring case)"
        case .greaterThan(let bound): "expected a number > \(JSONValue.format(bound))"
        case .atLeast(let bound): "expected a number >= \(JSONValue.format(bound))"
        case .lessThan(let bound): "expected a number < \(JSONValue.format(bound))"
        case .matches(let regex): "expected a string matching \(regex)"
        case .oneOf(let values): "expected one of \(values.map(\.seenDescription).joined(separator: ", "))"
        case .date(let date):
            "expected a date like \(JSONValue.quoted(date.format)) (\(date.timeZone))\(date.inFuture ? " in the future" : "")"
        case .compare(let comparison, let bound): "expected a number \(comparison.rawValue) \(described(bound))"
        case .contains(let value): "expected an array containing \(value.seenDescription)"
        case .containsTemplate(let template): "expected an array containing \(described(template))"
        case .scopeSubsetOf(let template): "expected scopes among \(described(template))"
        case .scopeEquals(let template): "expected the scopes \(described(template)) in any order"
        }
    }

    func described(_ template: Template) -> String {
        let value = JSONValue.quoted(resolved ?? template.source)
        return template.isLiteral ? value : "\(value) (\(template.source))"
    }

    /// `nil` when the value meets the rule, else what was seen. A pattern gives up on a value that would
    /// cost it more than ``LinearRegex/maximumSteps`` steps, or when the case's `deadline` passes: the rule
    /// then fails and says so.
    func problem(with value: FieldValue, deadline: WorkDeadline = .never) -> String? {
        switch rule {
        case .nonEmpty:
            guard let text = stringValue(value) else { return value.seen }
            return text.isEmpty ? value.seen : nil
        case .absent:
            return value.seen
        case .integer:
            return numberValue(value).map { $0.rounded() == $0 && $0.isFinite } == true ? nil : value.seen
        case .differsFrom:
            // The value is not shown: it is the one sent before, often a secret.
            return value.text == resolved ? "the same value" : nil
        case .ifPresent(let inner):
            return FieldRuleCheck(path: path, rule: inner, resolved: resolved).problem(with: value, deadline: deadline)
        case .jwt, .jwtClaims:
            guard let text = stringValue(value) else { return value.seen }
            return JWTShape.problem(text)
        case .equals(let expected):
            if case .json(let actual) = value { return actual == expected ? nil : value.seen }
            return value.text == expected.scalarText ? nil : value.seen
        case .equalsTemplate:
            return value.text == resolved && stringValue(value) != nil ? nil : value.seen
        case .equalsIgnoringCase:
            guard let text = stringValue(value), let resolved else { return value.seen }
            return text.caseInsensitiveCompare(resolved) == .orderedSame ? nil : value.seen
        case .greaterThan(let bound):
            return numberValue(value).map { $0 > bound } == true ? nil : value.seen
        case .atLeast(let bound):
            return numberValue(value).map { $0 >= bound } == true ? nil : value.seen
        case .lessThan(let bound):
            return numberValue(value).map { $0 < bound } == true ? nil : value.seen
        case .matches(let regex):
            guard let text = stringValue(value) else { return value.seen }
            do {
                return try regex.matches(in: text, deadline: deadline) ? nil : value.seen
            } catch {
                return "a string of \(text.unicodeScalars.count) characters: \(error)"
            }
        case .oneOf(let values):
            if case .json(let actual) = value { return values.contains(actual) ? nil : value.seen }
            return values.contains { $0.scalarText == value.text } ? nil : value.seen
        case .date(let rule):
            return DateCheck.problem(value, rule: rule)
        case .compare:
            // Judged with the response in hand (``compare(_:_:_:in:)``): a bound may be another field.
            return nil
        case .contains(let expected):
            return contains(value, expected)
        case .containsTemplate:
            return contains(value, resolved.map { .string($0) })
        case .scopeSubsetOf, .scopeEquals:
            guard let text = stringValue(value) else { return value.seen }
            return scopeProblem(text, seen: value.seen)
        }
    }

    func stringValue(_ value: FieldValue) -> String? {
        switch value {
        case .json(.string(let text)): text
        case .json: nil
        case .xml(let text, _): text
        }
    }

    func numberValue(_ value: FieldValue) -> Double? {
        switch value {
        case .json(.number(let number)): number
        case .json: nil
        case .xml(let text, _): Double(text.trimmingCharacters(in: .whitespaces))
        }
    }
}

/// Three base64url parts, the first a JSON object with a string `alg` (RFC 7519 / 7515).
///
/// Runs on every sample of a repeated case, so it works on UTF-8 bytes.
enum JWTShape {
    static func problem(_ token: String) -> String? {
        let parts = Array(token.utf8).split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3 else { return "\(parts.count) part\(parts.count == 1 ? "" : "s")" }
        for (index, part) in parts.enumerated() where !isBase64URL(part, allowEmpty: index == 2) {
            return "part \(index + 1) is not base64url"
        }
        guard let header = decodeBase64URL(parts[0]), case .object(let members)? = JSONValue.decode(header) else {
            return "a header that is not a JSON object"
        }
        guard case .string(let alg)? = members["alg"], !alg.isEmpty else { return "a header without a string \"alg\"" }
        return nil
    }

    /// The vendor's own sample pads its signature with '=', so trailing padding is accepted.
    private static func isBase64URL(_ part: ArraySlice<UInt8>, allowEmpty: Bool) -> Bool {
        var unpadded = part
        while unpadded.last == UInt8(ascii: "=") { unpadded = unpadded.dropLast() }
        guard !unpadded.isEmpty || allowEmpty else { return false }
        return unpadded.allSatisfy { isBase64URLByte($0) }
    }

    private static func isBase64URLByte(_ byte: UInt8) -> Bool {
        ASCII.isUnreserved(byte) && byte != UInt8(ascii: ".") && byte != UInt8(ascii: "~")
    }

    static func decodeBase64URL(_ part: ArraySlice<UInt8>) -> Data? {
        var base64 = part.filter { $0 != UInt8(ascii: "=") }.map { byte -> UInt8 in
            switch byte {
            case UInt8(ascii: "-"): UInt8(ascii: "+")
            case UInt8(ascii: "_"): UInt8(ascii: "/")
            default: byte
            }
        }
        base64 += [UInt8](repeating: UInt8(ascii: "="), count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: Data(base64))
    }
}

/// Dates in a fixed `DateFormatter` pattern, read with `en_US_POSIX` in the rule's time zone.
enum DateCheck {
    static func problem(_ value: FieldValue, rule: DateRule) -> String? {
        guard let text = value.text else { return value.seen }
        guard let date = parse(text, rule: rule) else { return "\(value.seen), which does not parse" }
        if rule.inFuture && date <= Date() {
            return "\(value.seen), which is in the past (\(ISO8601DateFormatter().string(from: date)))"
        }
        return nil
    }

    static func parse(_ text: String, rule: DateRule) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: rule.timeZone)
        formatter.dateFormat = rule.format
        formatter.isLenient = false
        return formatter.date(from: text.trimmingCharacters(in: .whitespaces))
    }
}
