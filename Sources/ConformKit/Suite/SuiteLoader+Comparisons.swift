import ConformSupport
import ConformJSON
import Foundation

extension SuiteFileReader {
    /// The comparison rules of a field:
    ///
    /// - `greater_than`, `at_least`, `less_than`, `at_most`: a number, a `${variable}` or capture whose value
    ///   reads as a number, `{"field": "expires_in"}` (another field of the same response) or `{"now": 0}`
    ///   (the time the response is checked, in seconds since the epoch, plus an offset);
    /// - `contains`: the field is an array holding the value (a string may be a template);
    /// - `scope_subset_of`, `scope_equals`: the field is a space-delimited list of tokens (RFC 6749 §3.3),
    ///   compared as a set with a template's value.
    func readComparisonRule(_ member: JSONNode.Member, field: String) -> FieldRule? {
        let node = member.value
        let rule = "rule '\(member.key)' for field '\(field)'"
        switch member.key {
        case "contains":
            if case .string(let text) = node.value {
                guard let template = parseTemplate(text, at: node.location, scope: .testCase) else { return nil }
                return template.isLiteral
                    ? .contains(.string(text.replacingOccurrences(of: "$${", with: "${"))) : .containsTemplate(template)
            }
            return .contains(node.jsonValue)
        case "scope_subset_of", "scope_equals":
            guard case .string(let text) = node.value else {
                sink.error("\(rule) takes a string of space-separated scopes, got \(node.typeDescription)", at: node.location)
                return nil
            }
            guard let template = parseTemplate(text, at: node.location, scope: .testCase) else { return nil }
            return member.key == "scope_equals" ? .scopeEquals(template) : .scopeSubsetOf(template)
        default:
            break
        }
        guard let comparison = NumericComparison.allCases.first(where: { $0.key == member.key }) else { return nil }
        switch node.value {
        case .number(let bound):
            switch comparison {
            case .greaterThan: return .greaterThan(bound)
            case .atLeast: return .atLeast(bound)
            case .lessThan: return .lessThan(bound)
            case .atMost: return .compare(.atMost, .number(bound))
            }
        case .string(let text):
            guard let template = parseTemplate(text, at: node.location, scope: .testCase) else { return nil }
            if template.isLiteral {
                sink.error(
                    "\(rule) takes a number, a \"${variable}\", {\"field\": …} or {\"now\": seconds}; got string \(JSONValue.quoted(text))",
                    at: node.location)
                return nil
            }
            return .compare(comparison, .template(template))
        case .object(let members) where members.count == 1:
            if case .string(let path)? = members.first.map({ $0.value.value }), members[0].key == "field" {
                guard let fieldPath = FieldPath(path) else {
                    sink.error("'\(path)' is not a field path", at: members[0].value.location)
                    return nil
                }
                return .compare(comparison, .field(fieldPath))
            }
            if case .number(let offset)? = members.first.map({ $0.value.value }), members[0].key == "now",
                offset.isFinite
            {
                return .compare(comparison, .now(offset: offset))
            }
        default:
            break
        }
        sink.error(
            "\(rule) takes a number, a \"${variable}\", {\"field\": …} or {\"now\": seconds}; got \(node.typeDescription)",
            at: node.location)
        return nil
    }
}
