import ConformJSON
import ConformRegex

/// The keywords that judge a value itself rather than apply subschemas: type, enum, const, number bounds,
/// string length, pattern and format, array and object counts, uniqueness, required properties.
///
/// None of these recurses, so each may build its messages in place.
extension SchemaValidator {
    @inline(never)
    func checkAssertions(_ schema: CompiledSchema, at node: Int, _ findings: inout Findings) {
        checkAnyValue(schema, at: node, &findings)
        switch tree.nodes[node].value {
        case .number(let number): checkNumber(schema, number, at: node, &findings)
        case .string(let string): checkString(schema, string, at: node, &findings)
        case .array: checkArray(schema, at: node, &findings)
        case .object: checkObject(schema, at: node, &findings)
        default: break
        }
    }

    private func checkAnyValue(_ schema: CompiledSchema, at node: Int, _ findings: inout Findings) {
        guard !findings.isSettled else { return }
        let value = tree.nodes[node].value
        if let types = schema.keywords.types, !types.value.contains(where: { Self.value(value, hasType: $0) }) {
            let expected = SchemaText.alternatives(types.value.map(\.rawValue))
            findings.add(violation(node, "type", types.location, "expected \(expected), got \(SchemaText.seen(value))"))
        }
        if let values = schema.keywords.enumValues, !values.value.contains(where: { $0.schemaEquals(value) }) {
            let expected =
                values.value.isEmpty ? "no value (the enum is empty)" : "one of \(SchemaText.list(values.value))"
            findings.add(
                violation(node, "enum", values.location, "expected \(expected), got \(SchemaText.seen(value))"))
        }
        if let constant = schema.keywords.const, !constant.value.schemaEquals(value) {
            findings.add(
                violation(
                    node, "const", constant.location,
                    "expected \(SchemaText.json(constant.value)), got \(SchemaText.seen(value))"))
        }
    }

    /// JSON Schema's types; an integer is any number with no fractional part (`1.0` included).
    static func value(_ value: JSONValue, hasType type: JSONSchemaType) -> Bool {
        switch (type, value) {
        case (.null, .null), (.boolean, .bool), (.object, .object), (.array, .array), (.number, .number),
            (.string, .string):
            true
        case (.integer, .number(let number)):
            number.rounded(.towardZero) == number
        default:
            false
        }
    }

    private func checkNumber(_ schema: CompiledSchema, _ number: Double, at node: Int, _ findings: inout Findings) {
        guard !findings.isSettled else { return }
        let seen = "got number \(JSONValue.format(number))"
        let bounds: [(Located<Double>?, String, String, (Double, Double) -> Bool)] = [
            (schema.keywords.minimum, "minimum", ">=", { $0 >= $1 }),
            (schema.keywords.exclusiveMinimum, "exclusiveMinimum", ">", { $0 > $1 }),
            (schema.keywords.maximum, "maximum", "<=", { $0 <= $1 }),
            (schema.keywords.exclusiveMaximum, "exclusiveMaximum", "<", { $0 < $1 }),
        ]
        for (bound, keyword, symbol, holds) in bounds {
            guard let bound, !holds(number, bound.value) else { continue }
            findings.add(
                violation(
                    node, keyword, bound.location,
                    "expected a number \(symbol) \(JSONValue.format(bound.value)), \(seen)"
                ))
        }
        if let divisor = schema.keywords.multipleOf, !DecimalMultiple.isMultiple(number, of: divisor.value) {
            findings.add(
                violation(
                    node, "multipleOf", divisor.location,
                    "expected a multiple of \(JSONValue.format(divisor.value)), \(seen)"))
        }
    }

    private func checkString(_ schema: CompiledSchema, _ string: String, at node: Int, _ findings: inout Findings) {
        guard !findings.isSettled else { return }
        if schema.keywords.minLength != nil || schema.keywords.maxLength != nil {
            let length = string.unicodeScalars.count  // code points, as JSON Schema counts
            let quoted = SchemaText.string(string)
            if let minimum = schema.keywords.minLength, length < minimum.value {
                findings.add(
                    violation(
                        node, "minLength", minimum.location,
                        "expected at least \(SchemaText.count(minimum.value, "character")), got \(length): \(quoted)"))
            }
            if let maximum = schema.keywords.maxLength, length > maximum.value {
                findings.add(
                    violation(
                        node, "maxLength", maximum.location,
                        "expected at most \(SchemaText.count(maximum.value, "character")), got \(length): \(quoted)"))
            }
        }
        if let pattern = schema.keywords.pattern {
            let expected = "expected a string matching \(SchemaText.pattern(pattern.value.pattern))"
            switch stop.matches(pattern.value, string) {
            case .success(true), .failure(.stopped):
                break
            case .success(false):
                findings.add(
                    violation(
                        node, "pattern", pattern.location, "\(expected), got \(SchemaText.seen(.string(string)))"))
            case .failure(.tooCostly):
                findings.add(
                    violation(
                        node, "pattern", pattern.location,
                        "\(expected), got \(SchemaText.length(string)): \(LinearRegex.Stop.tooCostly)"))
            }
        }
        if let format = schema.keywords.format, !format.value.accepts(string) {
            findings.add(
                violation(
                    node, "format", format.location,
                    "expected \(format.value.expectation), got \(SchemaText.seen(.string(string)))",
                    isAnnotation: !formatAssertion))
        }
    }

    private func checkArray(_ schema: CompiledSchema, at node: Int, _ findings: inout Findings) {
        guard !findings.isSettled else { return }
        let items = tree.nodes[node].children
        if let minimum = schema.keywords.minItems, items.count < minimum.value {
            findings.add(
                violation(
                    node, "minItems", minimum.location,
                    "expected at least \(SchemaText.count(minimum.value, "item")), got \(items.count)"))
        }
        if let maximum = schema.keywords.maxItems, items.count > maximum.value {
            findings.add(
                violation(
                    node, "maxItems", maximum.location,
                    "expected at most \(SchemaText.count(maximum.value, "item")), got \(items.count)"))
        }
        if let unique = schema.keywords.uniqueItems, unique.value, let (first, second) = firstDuplicate(items) {
            findings.add(
                violation(
                    node, "uniqueItems", unique.location,
                    "expected unique items, got a duplicate: items \(first) and \(second) are both "
                        + SchemaText.seen(tree.nodes[items[second]].value)))
        }
    }

    /// The first pair of equal items, found through a hash of each item.
    private func firstDuplicate(_ items: [Int]) -> (Int, Int)? {
        var seen: [Int: [Int]] = [:]
        for (offset, item) in items.enumerated() {
            let value = tree.nodes[item].value
            let hash = value.schemaHashValue
            if let earlier = seen[hash]?.first(where: { tree.nodes[items[$0]].value.schemaEquals(value) }) {
                return (earlier, offset)
            }
            seen[hash, default: []].append(offset)
        }
        return nil
    }

    private func checkObject(_ schema: CompiledSchema, at node: Int, _ findings: inout Findings) {
        guard !findings.isSettled else { return }
        let count = tree.nodes[node].keys.count
        if let required = schema.keywords.required {
            for name in required.value where tree.member(name, of: node) == nil {
                findings.add(
                    violation(node, "required", required.location, "missing required property \(SchemaText.name(name))")
                )
            }
        }
        if let minimum = schema.keywords.minProperties, count < minimum.value {
            findings.add(
                violation(
                    node, "minProperties", minimum.location,
                    "expected at least \(SchemaText.count(minimum.value, "property")), got \(count)"))
        }
        if let maximum = schema.keywords.maxProperties, count > maximum.value {
            findings.add(
                violation(
                    node, "maxProperties", maximum.location,
                    "expected at most \(SchemaText.count(maximum.value, "property")), got \(count)"))
        }
        if let dependencies = schema.keywords.dependentRequired {
            for dependency in dependencies.value where tree.member(dependency.name, of: node) != nil {
                for name in dependency.required where tree.member(name, of: node) == nil {
                    findings.add(
                        violation(
                            node, "dependentRequired", dependencies.location,
                            "property \(SchemaText.name(dependency.name)) requires property \(SchemaText.name(name)), "
                                + "which is missing"))
                }
            }
        }
    }
}
