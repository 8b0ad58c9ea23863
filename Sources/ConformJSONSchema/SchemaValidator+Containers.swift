import ConformRegex
import ConformSupport

/// The subschemas of arrays and objects, applied to items, property values and property names.
///
/// The applications are planned first (which subschema to which child: patterns matched, `false`
/// subschemas turned into violations), then run; the plan is made in a function that returns before the
/// recursion, which keeps the recursion's frames small.
extension SchemaValidator {
    /// One subschema to apply to one child.
    struct Application {
        var subschema: SchemaIndex
        var child: Int
    }

    /// What to apply, and what `false` subschemas (`additionalProperties: false`…) already say.
    struct Plan {
        var violations: [JSONSchemaViolation] = []
        var applications: [Application] = []
    }

    mutating func applySubschemas(_ schema: CompiledSchema, to node: Int, _ findings: inout Findings) {
        guard !findings.isSettled else { return }
        let applications = plan(schema, for: node, &findings)
        var index = 0
        while index < applications.count, !findings.isSettled {
            findings.merge(evaluate(applications[index].subschema, applications[index].child, findings.mode))
            index += 1
        }
    }

    /// The applications for an array or an object; the violations of its `false` subschemas go to `findings`.
    @inline(never)
    private func plan(_ schema: CompiledSchema, for node: Int, _ findings: inout Findings) -> [Application] {
        let plan: Plan
        switch tree.nodes[node].value {
        case .array: plan = planItems(schema, of: node)
        case .object: plan = planProperties(schema, of: node)
        default: return []
        }
        for violation in plan.violations { findings.add(violation) }
        return plan.applications
    }

    mutating func applyContains(_ schema: CompiledSchema, to node: Int, _ findings: inout Findings) {
        guard let contains = schema.keywords.contains, !findings.isSettled, case .array = tree.nodes[node].value
        else { return }
        let items = tree.nodes[node].children
        var matching: [Int] = []
        var index = 0
        while index < items.count {
            if evaluate(contains.value, items[index], .first).isEmpty { matching.append(items[index]) }
            index += 1
        }
        containsCounts(schema, contains, matching: matching.count, of: items.count, at: node, &findings)
        index = 0
        while findings.mode == .all, index < matching.count {
            findings.merge(evaluate(contains.value, matching[index], .all))  // the annotations of matching items
            index += 1
        }
    }

    // MARK: - Plans

    /// `prefixItems`, then `items` for the rest.
    @inline(never)
    private func planItems(_ schema: CompiledSchema, of node: Int) -> Plan {
        var plan = Plan()
        let items = tree.nodes[node].children
        var prefixCount = 0
        if let prefixItems = schema.keywords.prefixItems {
            prefixCount = prefixItems.value.count
            for (offset, item) in items.prefix(prefixCount).enumerated() {
                let subschema = prefixItems.value[offset]
                if schemas[subschema].boolean == false {
                    plan.violations.append(
                        violation(
                            item, "prefixItems", prefixItems.location,
                            "no item is allowed at this position (prefixItems \(offset) is false)"))
                } else {
                    plan.applications.append(Application(subschema: subschema, child: item))
                }
            }
        }
        if let rest = schema.keywords.items, items.count > prefixCount {
            if schemas[rest.value].boolean == false {
                let limit = prefixCount == 0 ? "no items" : "at most \(SchemaText.count(prefixCount, "item"))"
                plan.violations.append(
                    violation(node, "items", rest.location, "expected \(limit) (items is false), got \(items.count)"))
            } else {
                for item in items.dropFirst(prefixCount) {
                    plan.applications.append(Application(subschema: rest.value, child: item))
                }
            }
        }
        return plan
    }

    /// `properties` in the schema's order, then `patternProperties` and `additionalProperties` in key order,
    /// then `propertyNames` and `dependentSchemas`.
    @inline(never)
    private func planProperties(_ schema: CompiledSchema, of node: Int) -> Plan {
        var plan = Plan()
        func add(
            _ subschema: SchemaIndex, to child: Int, _ keyword: String, _ location: SourceLocation,
            _ refusal: @autoclosure () -> String
        ) {
            if schemas[subschema].boolean == false {
                plan.violations.append(violation(node, keyword, location, refusal()))
            } else {
                plan.applications.append(Application(subschema: subschema, child: child))
            }
        }
        let object = tree.nodes[node]
        var declared = Set<Int>()  // the children `properties` names
        if let properties = schema.keywords.properties {
            for property in properties.value {
                guard let child = tree.member(property.name, of: node) else { continue }
                declared.insert(child)
                add(
                    property.schema, to: child, "properties", properties.location,
                    "property \(SchemaText.name(property.name)) is not allowed")
            }
        }
        for (key, child) in zip(object.keys, object.children) {
            var isMatched = false
            if let patterns = schema.keywords.patternProperties {
                for entry in patterns.value {
                    switch stop.matches(entry.regex, key) {
                    case .success(false), .failure(.stopped):
                        continue
                    case .success(true):
                        isMatched = true
                        add(
                            entry.schema, to: child, "patternProperties", patterns.location,
                            "property \(SchemaText.name(key)) is not allowed "
                                + "(it matches \(SchemaText.pattern(entry.regex.pattern)))")
                    case .failure(.tooCostly):
                        // Neither matched nor not: the key is judged by no other subschema either.
                        isMatched = true
                        plan.violations.append(
                            violation(
                                node, "patternProperties", patterns.location,
                                "property \(SchemaText.name(key)): cannot check it against "
                                    + "\(SchemaText.pattern(entry.regex.pattern)): \(LinearRegex.Stop.tooCostly)"))
                    }
                }
            }
            guard !isMatched, !declared.contains(child), let additional = schema.keywords.additionalProperties
            else { continue }
            add(
                additional.value, to: child, "additionalProperties", additional.location,
                "additional property \(SchemaText.name(key)) is not allowed")
        }
        if let names = schema.keywords.propertyNames {
            for (key, name) in zip(object.keys, object.names) {
                add(
                    names.value, to: name, "propertyNames", names.location,
                    "property \(SchemaText.name(key)) is not allowed (propertyNames is false)")
            }
        }
        if let dependents = schema.keywords.dependentSchemas {
            for dependent in dependents.value where tree.member(dependent.name, of: node) != nil {
                add(
                    dependent.schema, to: node, "dependentSchemas", dependents.location,
                    "property \(SchemaText.name(dependent.name)) is not allowed (its dependentSchemas is false)")
            }
        }
        return plan
    }

    @inline(never)
    private func containsCounts(
        _ schema: CompiledSchema, _ contains: Located<SchemaIndex>, matching: Int, of count: Int, at node: Int,
        _ findings: inout Findings
    ) {
        let minimum = schema.keywords.minContains ?? Located(value: 1, location: contains.location)
        if matching < minimum.value {
            findings.add(
                violation(
                    node, schema.keywords.minContains == nil ? "contains" : "minContains", minimum.location,
                    "expected at least \(SchemaText.count(minimum.value, "item")) matching contains, "
                        + "got \(matching) of \(count)"))
        }
        if let maximum = schema.keywords.maxContains, matching > maximum.value {
            findings.add(
                violation(
                    node, "maxContains", maximum.location,
                    "expected at most \(SchemaText.count(maximum.value, "item")) matching contains, "
                        + "got \(matching) of \(count)"))
        }
    }
}
