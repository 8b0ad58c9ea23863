/// `allOf`, `anyOf`, `oneOf`, `not` and `if`/`then`/`else`: subschemas applied to the same value.
///
/// `allOf` reports the violations of each subschema as they are. `anyOf` and `oneOf` report one concise
/// violation with the first reason each alternative failed, numbered from 1:
///
///     matches none of the 2 alternatives of anyOf: (1) expected string, got number 3; (2) expected null, got number 3
///     matches 2 alternatives of oneOf (1 and 2), expected exactly one
///
/// Format annotations are kept from the alternatives that hold (and from a passing `if`, `contains` item…),
/// never from a failing one or from under `not`.
extension SchemaValidator {
    mutating func applyApplicators(_ keywords: SchemaKeywords, to node: Int, _ findings: inout Findings) {
        for subschema in keywords.allOf?.value ?? [] {
            guard !findings.isSettled else { return }
            findings.merge(evaluate(subschema, node, findings.mode))
        }
        guard !findings.isSettled else { return }
        if let anyOf = keywords.anyOf { applyAnyOf(anyOf, to: node, &findings) }
        guard !findings.isSettled else { return }
        if let oneOf = keywords.oneOf { applyOneOf(oneOf, to: node, &findings) }
        guard !findings.isSettled else { return }
        if let not = keywords.not, evaluate(not.value, node, .first).isEmpty {
            findings.add(
                violation(
                    node, "not", not.location,
                    "expected a value that does not match the \"not\" schema, got \(SchemaText.seen(tree.nodes[node].value))"
                ))
        }
        guard !findings.isSettled else { return }
        if let condition = keywords.ifSchema {
            if evaluate(condition.value, node, .first).isEmpty {
                if findings.mode == .all { findings.merge(evaluate(condition.value, node, .all)) }
                if let then = keywords.thenSchema { findings.merge(evaluate(then.value, node, findings.mode)) }
            } else if let otherwise = keywords.elseSchema {
                findings.merge(evaluate(otherwise.value, node, findings.mode))
            }
        }
    }

    private mutating func applyAnyOf(_ anyOf: Located<[SchemaIndex]>, to node: Int, _ findings: inout Findings) {
        var failures: [JSONSchemaViolation?] = []
        for alternative in anyOf.value {
            let failure = evaluate(alternative, node, .first).first
            failures.append(failure)
            if failure == nil, findings.mode == .first { return }
        }
        guard failures.contains(where: { $0 == nil }) else {
            findings.add(
                violation(
                    node, "anyOf", anyOf.location,
                    "matches none of the \(anyOf.value.count) alternatives of anyOf: "
                        + reasons(failures.compactMap { $0 }, at: node)))
            return
        }
        for (alternative, failure) in zip(anyOf.value, failures) where failure == nil {
            findings.merge(evaluate(alternative, node, .all))  // the annotations of each alternative that holds
        }
    }

    private mutating func applyOneOf(_ oneOf: Located<[SchemaIndex]>, to node: Int, _ findings: inout Findings) {
        var failures: [JSONSchemaViolation] = []
        var matching: [Int] = []
        for (offset, alternative) in oneOf.value.enumerated() {
            if let failure = evaluate(alternative, node, .first).first {
                failures.append(failure)
            } else {
                matching.append(offset)
                if matching.count > 1, findings.mode == .first { break }
            }
        }
        switch matching.count {
        case 0:
            findings.add(
                violation(
                    node, "oneOf", oneOf.location,
                    "matches none of the \(oneOf.value.count) alternatives of oneOf: " + reasons(failures, at: node)))
        case 1:
            if findings.mode == .all { findings.merge(evaluate(oneOf.value[matching[0]], node, .all)) }
        default:
            let numbers = SchemaText.alternatives(matching.map { String($0 + 1) }, conjunction: "and")
            findings.add(
                violation(
                    node, "oneOf", oneOf.location,
                    "matches \(matching.count) alternatives of oneOf (\(numbers)), expected exactly one"))
        }
    }

    /// `(1) expected string, got number 3; (2) items[0]: expected null, got number 3`: the first reason of each
    /// failed alternative, with its path when it lies deeper than the value itself; bounded.
    private func reasons(_ failures: [JSONSchemaViolation], at node: Int) -> String {
        let path = tree.path(of: node)
        var parts: [String] = []
        for (offset, failure) in failures.prefix(SchemaText.reasonCount).enumerated() {
            let reason = failure.instancePath == path ? failure.message : failure.description
            parts.append("(\(offset + 1)) " + SchemaText.cut(reason, limit: SchemaText.reasonLimit))
        }
        if failures.count > SchemaText.reasonCount {
            parts.append("… (\(failures.count - SchemaText.reasonCount) more)")
        }
        return parts.joined(separator: "; ")
    }
}
