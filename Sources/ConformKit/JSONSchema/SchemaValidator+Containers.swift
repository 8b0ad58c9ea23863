/// Array and object keywords: counts, items, properties, and what a `false` subschema means for them.
extension SchemaValidator {
    /// What to report when the subschema applied to a child is `false`, in words a reader of the response
    /// understands (`additional property "foo" is not allowed`) rather than "the schema is false".
    struct FalseSubschema {
        var node: Int
        var keyword: String
        var location: SourceLocation
        var message: String
    }

    /// Applies a subschema to a child node, or reports `instead` when the subschema is `false`.
    mutating func apply(
        _ subschema: SchemaIndex, to child: Int, _ findings: inout Findings, instead: FalseSubschema
    ) {
        if schemas[subschema].boolean == false {
            findings.add(violation(instead.node, instead.keyword, instead.location, instead.message))
        } else {
            findings.merge(evaluate(subschema, child, findings.mode))
        }
    }

    // MARK: - Arrays

    mutating func applyArray(_ keywords: SchemaKeywords, at node: Int, _ findings: inout Findings) {
        let items = tree.nodes[node].children
        if let minimum = keywords.minItems, items.count < minimum.value {
            findings.add(
                violation(
                    node, "minItems", minimum.location,
                    "expected at least \(SchemaText.count(minimum.value, "item")), got \(items.count)"))
        }
        if let maximum = keywords.maxItems, items.count > maximum.value {
            findings.add(
                violation(
                    node, "maxItems", maximum.location,
                    "expected at most \(SchemaText.count(maximum.value, "item")), got \(items.count)"))
        }
        if let unique = keywords.uniqueItems, unique.value, let (first, second) = firstDuplicate(items) {
            findings.add(
                violation(
                    node, "uniqueItems", unique.location,
                    "expected unique items, got a duplicate: items \(first) and \(second) are both "
                        + SchemaText.seen(tree.nodes[items[second]].value)))
        }
        guard !findings.isSettled else { return }
        let prefix = keywords.prefixItems?.value ?? []
        if let prefixItems = keywords.prefixItems {
            for (offset, item) in items.prefix(prefix.count).enumerated() {
                apply(
                    prefix[offset], to: item, &findings,
                    instead: FalseSubschema(
                        node: item, keyword: "prefixItems", location: prefixItems.location,
                        message: "no item is allowed at this position (prefixItems \(offset) is false)"))
                guard !findings.isSettled else { return }
            }
        }
        if let rest = keywords.items, items.count > prefix.count {
            if schemas[rest.value].boolean == false {
                let limit = prefix.isEmpty ? "no items" : "at most \(SchemaText.count(prefix.count, "item"))"
                findings.add(
                    violation(node, "items", rest.location, "expected \(limit) (items is false), got \(items.count)"))
            } else {
                for item in items.dropFirst(prefix.count) {
                    findings.merge(evaluate(rest.value, item, findings.mode))
                    guard !findings.isSettled else { return }
                }
            }
        }
        if let contains = keywords.contains { applyContains(contains, keywords, items, at: node, &findings) }
    }

    private mutating func applyContains(
        _ contains: Located<SchemaIndex>, _ keywords: SchemaKeywords, _ items: [Int], at node: Int,
        _ findings: inout Findings
    ) {
        guard !findings.isSettled else { return }
        let matching = items.filter { evaluate(contains.value, $0, .first).isEmpty }
        let minimum = keywords.minContains ?? Located(value: 1, location: contains.location)
        if matching.count < minimum.value {
            findings.add(
                violation(
                    node, keywords.minContains == nil ? "contains" : "minContains", minimum.location,
                    "expected at least \(SchemaText.count(minimum.value, "item")) matching contains, "
                        + "got \(matching.count) of \(items.count)"))
        }
        if let maximum = keywords.maxContains, matching.count > maximum.value {
            findings.add(
                violation(
                    node, "maxContains", maximum.location,
                    "expected at most \(SchemaText.count(maximum.value, "item")) matching contains, "
                        + "got \(matching.count) of \(items.count)"))
        }
        if findings.mode == .all {
            for item in matching { findings.merge(evaluate(contains.value, item, .all)) }  // their annotations
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

    // MARK: - Objects

    mutating func applyObject(_ keywords: SchemaKeywords, at node: Int, _ findings: inout Findings) {
        let object = tree.nodes[node]
        if let required = keywords.required {
            for name in required.value where tree.member(name, of: node) == nil {
                findings.add(
                    violation(node, "required", required.location, "missing required property \(Self.quote(name))"))
            }
        }
        if let minimum = keywords.minProperties, object.keys.count < minimum.value {
            findings.add(
                violation(
                    node, "minProperties", minimum.location,
                    "expected at least \(SchemaText.count(minimum.value, "property")), got \(object.keys.count)"))
        }
        if let maximum = keywords.maxProperties, object.keys.count > maximum.value {
            findings.add(
                violation(
                    node, "maxProperties", maximum.location,
                    "expected at most \(SchemaText.count(maximum.value, "property")), got \(object.keys.count)"))
        }
        if let dependencies = keywords.dependentRequired {
            for dependency in dependencies.value where tree.member(dependency.name, of: node) != nil {
                for name in dependency.required where tree.member(name, of: node) == nil {
                    findings.add(
                        violation(
                            node, "dependentRequired", dependencies.location,
                            "property \(Self.quote(dependency.name)) requires property \(Self.quote(name)), "
                                + "which is missing"))
                }
            }
        }
        guard !findings.isSettled else { return }
        applyProperties(keywords, object, at: node, &findings)
        guard !findings.isSettled else { return }
        if let names = keywords.propertyNames {
            for (key, name) in zip(object.keys, object.names) {
                apply(
                    names.value, to: name, &findings,
                    instead: FalseSubschema(
                        node: node, keyword: "propertyNames", location: names.location,
                        message: "property \(Self.quote(key)) is not allowed (propertyNames is false)"))
                guard !findings.isSettled else { return }
            }
        }
        if let dependents = keywords.dependentSchemas {
            for dependent in dependents.value where tree.member(dependent.name, of: node) != nil {
                apply(
                    dependent.schema, to: node, &findings,
                    instead: FalseSubschema(
                        node: node, keyword: "dependentSchemas", location: dependents.location,
                        message: "property \(Self.quote(dependent.name)) is not allowed (its dependentSchemas is false)"
                    ))
                guard !findings.isSettled else { return }
            }
        }
    }

    /// `properties` in the schema's order, then `patternProperties` and `additionalProperties` in key order.
    private mutating func applyProperties(
        _ keywords: SchemaKeywords, _ object: InstanceTree.Node, at node: Int, _ findings: inout Findings
    ) {
        let declared = keywords.properties?.value ?? []
        if let properties = keywords.properties {
            for property in declared {
                guard let child = tree.member(property.name, of: node) else { continue }
                apply(
                    property.schema, to: child, &findings,
                    instead: FalseSubschema(
                        node: node, keyword: "properties", location: properties.location,
                        message: "property \(Self.quote(property.name)) is not allowed"))
                guard !findings.isSettled else { return }
            }
        }
        let patterns = keywords.patternProperties?.value ?? []
        let patternLocation = keywords.patternProperties?.location ?? SourceLocation(line: 0, column: 0)
        guard !patterns.isEmpty || keywords.additionalProperties != nil else { return }
        let declaredNames = Set(declared.map(\.name))
        for (key, child) in zip(object.keys, object.children) {
            var isMatched = false
            for entry in patterns where entry.regex.matches(in: key) {
                isMatched = true
                apply(
                    entry.schema, to: child, &findings,
                    instead: FalseSubschema(
                        node: node, keyword: "patternProperties", location: patternLocation,
                        message: "property \(Self.quote(key)) is not allowed "
                            + "(it matches \(SchemaText.pattern(entry.regex.pattern)))"))
                guard !findings.isSettled else { return }
            }
            guard !isMatched, !declaredNames.contains(key), let additional = keywords.additionalProperties else {
                continue
            }
            apply(
                additional.value, to: child, &findings,
                instead: FalseSubschema(
                    node: node, keyword: "additionalProperties", location: additional.location,
                    message: "additional property \(Self.quote(key)) is not allowed"))
            guard !findings.isSettled else { return }
        }
    }

    static func quote(_ name: String) -> String { JSONValue.quoted(name, limit: SchemaText.valueLimit) }
}
