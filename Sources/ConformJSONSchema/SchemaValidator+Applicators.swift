import ConformSupport

/// `allOf`, `anyOf`, `oneOf`, `not` and `if`/`then`/`else`: subschemas applied to the same value.
///
/// `allOf` reports the violations of each subschema as they are. `anyOf` and `oneOf` report one concise
/// violation with the first reason each alternative failed, numbered from 1:
///
///     matches none of the 2 alternatives of anyOf: (1) expected string, got number 3; (2) expected null, got number 3
///     matches 2 alternatives of oneOf (1 and 2), expected exactly one
///
/// Format annotations are kept from the alternatives that hold (and from a passing `if`, the items that
/// match `contains`…), never from a failing one or from under `not`.
extension SchemaValidator {
    mutating func applyApplicators(_ schema: CompiledSchema, to node: Int, _ findings: inout Findings) {
        if schema.keywords.allOf != nil { applyAllOf(schema, to: node, &findings) }
        if let anyOf = schema.keywords.anyOf, !findings.isSettled { applyAnyOf(anyOf, to: node, &findings) }
        if let oneOf = schema.keywords.oneOf, !findings.isSettled { applyOneOf(oneOf, to: node, &findings) }
        if schema.keywords.not != nil, !findings.isSettled { applyNot(schema, to: node, &findings) }
        if schema.keywords.ifSchema != nil, !findings.isSettled { applyCondition(schema, to: node, &findings) }
    }

    private mutating func applyAllOf(_ schema: CompiledSchema, to node: Int, _ findings: inout Findings) {
        let subschemas = schema.keywords.allOf?.value ?? []
        var index = 0
        while index < subschemas.count, !findings.isSettled {
            findings.merge(evaluate(subschemas[index], node, findings.mode))
            index += 1
        }
    }

    private mutating func applyNot(_ schema: CompiledSchema, to node: Int, _ findings: inout Findings) {
        guard let not = schema.keywords.not, evaluate(not.value, node, .first).isEmpty else { return }
        findings.add(notViolation(not.location, at: node))
    }

    /// `if`/`then`/`else`: the annotations of a passing `if` are kept.
    private mutating func applyCondition(_ schema: CompiledSchema, to node: Int, _ findings: inout Findings) {
        guard let condition = schema.keywords.ifSchema else { return }
        if evaluate(condition.value, node, .first).isEmpty {
            if findings.mode == .all { findings.merge(evaluate(condition.value, node, .all)) }
            if let then = schema.keywords.thenSchema { findings.merge(evaluate(then.value, node, findings.mode)) }
        } else if let otherwise = schema.keywords.elseSchema {
            findings.merge(evaluate(otherwise.value, node, findings.mode))
        }
    }

    /// Which alternatives hold, and the first failure of each that does not; in `.first` mode it stops once
    /// the answer is known (`enough` alternatives hold).
    private mutating func judge(
        _ alternatives: [SchemaIndex], at node: Int, stoppingAfter enough: Int
    ) -> (holding: [Int], failures: [JSONSchemaViolation]) {
        var holding: [Int] = []
        var failures: [JSONSchemaViolation] = []
        var offset = 0
        while offset < alternatives.count, holding.count < enough {
            let failure = evaluate(alternatives[offset], node, .first)
            if failure.isEmpty { holding.append(offset) } else { failures += failure }
            offset += 1
        }
        return (holding, failures)
    }

    private mutating func applyAnyOf(_ anyOf: Located<[SchemaIndex]>, to node: Int, _ findings: inout Findings) {
        let judged = judge(anyOf.value, at: node, stoppingAfter: findings.mode == .first ? 1 : Int.max)
        if judged.holding.isEmpty {
            findings.add(noAlternative("anyOf", anyOf, judged.failures, at: node))
        } else if findings.mode == .all {
            for offset in judged.holding { findings.merge(evaluate(anyOf.value[offset], node, .all)) }  // annotations
        }
    }

    private mutating func applyOneOf(_ oneOf: Located<[SchemaIndex]>, to node: Int, _ findings: inout Findings) {
        let judged = judge(oneOf.value, at: node, stoppingAfter: findings.mode == .first ? 2 : Int.max)
        if judged.holding.isEmpty {
            findings.add(noAlternative("oneOf", oneOf, judged.failures, at: node))
        } else if judged.holding.count > 1 {
            findings.add(severalAlternatives(oneOf.location, judged.holding, at: node))
        } else if findings.mode == .all {
            findings.merge(evaluate(oneOf.value[judged.holding[0]], node, .all))  // its annotations
        }
    }

    @inline(never)
    private func notViolation(_ location: SourceLocation, at node: Int) -> JSONSchemaViolation {
        violation(
            node, "not", location,
            "expected a value that does not match the \"not\" schema, got \(SchemaText.seen(tree.nodes[node].value))")
    }

    @inline(never)
    private func severalAlternatives(_ location: SourceLocation, _ holding: [Int], at node: Int) -> JSONSchemaViolation
    {
        let numbers = SchemaText.alternatives(holding.map { String($0 + 1) }, conjunction: "and")
        return violation(
            node, "oneOf", location, "matches \(holding.count) alternatives of oneOf (\(numbers)), expected exactly one"
        )
    }

    /// `matches none of the 2 alternatives of anyOf: (1) expected string, got number 3; (2) items[0]: …`: the
    /// first reason of each alternative, with its path when it lies deeper than the value itself; bounded.
    @inline(never)
    private func noAlternative(
        _ keyword: String, _ alternatives: Located<[SchemaIndex]>, _ failures: [JSONSchemaViolation], at node: Int
    ) -> JSONSchemaViolation {
        let path = tree.path(of: node)
        var reasons: [String] = []
        for (offset, failure) in failures.prefix(SchemaText.reasonCount).enumerated() {
            let reason = failure.instancePath == path ? failure.message : failure.description
            reasons.append("(\(offset + 1)) " + SchemaText.cut(reason, limit: SchemaText.reasonLimit))
        }
        if failures.count > SchemaText.reasonCount {
            reasons.append("… (\(failures.count - SchemaText.reasonCount) more)")
        }
        return violation(
            node, keyword, alternatives.location,
            "matches none of the \(alternatives.value.count) alternatives of \(keyword): "
                + reasons.joined(separator: "; "))
    }
}
