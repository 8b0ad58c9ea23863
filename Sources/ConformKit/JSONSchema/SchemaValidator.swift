/// Applies compiled schemas to one instance and reports its violations.
///
/// A schema is evaluated against a node in one of two modes. `.all` collects every violation and every
/// format annotation, for the report. `.first` stops at the first failure and ignores annotations: it
/// answers "is this valid?" for `anyOf`, `oneOf`, `not`, `if` and `contains`, and gives the first reason
/// of a failed alternative. `.first` results are remembered per (schema, node) and `.all` visits each pair
/// once, so a hostile combination of `$ref`s and applicators costs at most schemas × nodes evaluations.
/// Nesting is bounded by ``maximumDepth`` and the report by ``maximumViolations``.
struct SchemaValidator {
    enum Mode {
        case first
        case all
    }

    /// Schemas applied inside one another (through `$ref`, properties, items…) before validation gives up.
    static let maximumDepth = 1_000
    /// Failures reported for one instance; the rest are summarised in one last violation.
    static let maximumViolations = 100

    let schemas: [CompiledSchema]
    let formatAssertion: Bool
    let tree: InstanceTree
    private var firstFailures: [Int: JSONSchemaViolation?] = [:]
    private var collected: Set<Int> = []
    private var depth = 0
    private var failuresReported = 0

    init(schemas: [CompiledSchema], formatAssertion: Bool, instance: JSONValue) {
        self.schemas = schemas
        self.formatAssertion = formatAssertion
        self.tree = InstanceTree(instance)
    }

    /// Every violation of the root schema, failures and annotations in the order they were found.
    mutating func validate() -> [JSONSchemaViolation] {
        let violations = evaluate(0, 0, .all)
        guard failuresReported > Self.maximumViolations else { return violations }
        var kept: [JSONSchemaViolation] = []
        var failures = 0
        for violation in violations {
            if !violation.isAnnotation {
                failures += 1
                if failures > Self.maximumViolations { continue }
            }
            kept.append(violation)
        }
        kept.append(
            JSONSchemaViolation(
                instancePath: "", keyword: "", schemaLocation: schemas[0].location,
                message: "more violations not shown (conform reports the first \(Self.maximumViolations))"))
        return kept
    }

    /// The violations of schema `index` at instance node `node`.
    mutating func evaluate(_ index: SchemaIndex, _ node: Int, _ mode: Mode) -> [JSONSchemaViolation] {
        let key = index &* tree.nodes.count &+ node
        switch mode {
        case .first:
            if let known = firstFailures[key] { return known.map { [$0] } ?? [] }
        case .all:
            guard failuresReported <= Self.maximumViolations, collected.insert(key).inserted else { return [] }
        }
        depth += 1
        defer { depth -= 1 }
        var findings = Findings(mode: mode)
        if depth > Self.maximumDepth {
            findings.add(
                violation(
                    node, "depth", schemas[index].location,
                    "validation stopped here: schemas applied more than \(Self.maximumDepth) levels deep"))
        } else {
            apply(index, to: node, &findings)
        }
        switch mode {
        case .first: firstFailures[key] = .some(findings.violations.first)
        case .all: failuresReported += findings.newFailures
        }
        return findings.violations
    }

    private mutating func apply(_ index: SchemaIndex, to node: Int, _ findings: inout Findings) {
        let schema = schemas[index]
        if let boolean = schema.boolean {
            if !boolean {
                findings.add(
                    violation(
                        node, "false", schema.location,
                        "no value is allowed here (the schema is false), got \(SchemaText.seen(tree.nodes[node].value))"
                    ))
            }
            return
        }
        if let ref = schema.keywords.ref {
            findings.merge(evaluate(ref.value, node, findings.mode))
        }
        applyGeneral(schema.keywords, to: node, &findings)
        switch tree.nodes[node].value {
        case .number(let number): applyNumber(schema.keywords, number, at: node, &findings)
        case .string(let string): applyString(schema.keywords, string, at: node, &findings)
        case .array: applyArray(schema.keywords, at: node, &findings)
        case .object: applyObject(schema.keywords, at: node, &findings)
        default: break
        }
        applyApplicators(schema.keywords, to: node, &findings)
    }

    /// A violation at `node`; at a key node, the path is its object's and the message names the key.
    func violation(
        _ node: Int, _ keyword: String, _ location: SourceLocation, _ message: String, isAnnotation: Bool = false
    ) -> JSONSchemaViolation {
        var text = message
        if tree.nodes[node].isPropertyName, case .string(let name) = tree.nodes[node].value {
            text = "property name \(JSONValue.quoted(name, limit: SchemaText.valueLimit)): \(message)"
        }
        return JSONSchemaViolation(
            instancePath: tree.path(of: node), keyword: keyword, schemaLocation: location, message: text,
            isAnnotation: isAnnotation)
    }

    // MARK: - Any instance

    private func applyGeneral(_ keywords: SchemaKeywords, to node: Int, _ findings: inout Findings) {
        guard !findings.isSettled else { return }
        let value = tree.nodes[node].value
        if let types = keywords.types, !types.value.contains(where: { Self.value(value, hasType: $0) }) {
            let expected = SchemaText.alternatives(types.value.map(\.rawValue))
            findings.add(violation(node, "type", types.location, "expected \(expected), got \(SchemaText.seen(value))"))
        }
        if let values = keywords.enumValues, !values.value.contains(where: { $0.schemaEquals(value) }) {
            let expected =
                values.value.isEmpty ? "no value (the enum is empty)" : "one of \(SchemaText.list(values.value))"
            findings.add(
                violation(node, "enum", values.location, "expected \(expected), got \(SchemaText.seen(value))"))
        }
        if let constant = keywords.const, !constant.value.schemaEquals(value) {
            findings.add(
                violation(
                    node, "const", constant.location,
                    "expected \(SchemaText.json(constant.value)), got \(SchemaText.seen(value))"))
        }
    }

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

    // MARK: - Numbers and strings

    private func applyNumber(_ keywords: SchemaKeywords, _ number: Double, at node: Int, _ findings: inout Findings) {
        guard !findings.isSettled else { return }
        let seen = "got number \(JSONValue.format(number))"
        let bounds: [(Located<Double>?, String, String, (Double, Double) -> Bool)] = [
            (keywords.minimum, "minimum", ">=", { $0 >= $1 }),
            (keywords.exclusiveMinimum, "exclusiveMinimum", ">", { $0 > $1 }),
            (keywords.maximum, "maximum", "<=", { $0 <= $1 }),
            (keywords.exclusiveMaximum, "exclusiveMaximum", "<", { $0 < $1 }),
        ]
        for (bound, keyword, symbol, holds) in bounds {
            guard let bound, !holds(number, bound.value) else { continue }
            findings.add(
                violation(
                    node, keyword, bound.location,
                    "expected a number \(symbol) \(JSONValue.format(bound.value)), \(seen)"))
        }
        if let divisor = keywords.multipleOf, !DecimalMultiple.isMultiple(number, of: divisor.value) {
            findings.add(
                violation(
                    node, "multipleOf", divisor.location,
                    "expected a multiple of \(JSONValue.format(divisor.value)), \(seen)"))
        }
    }

    private func applyString(_ keywords: SchemaKeywords, _ string: String, at node: Int, _ findings: inout Findings) {
        guard !findings.isSettled else { return }
        if keywords.minLength != nil || keywords.maxLength != nil {
            let length = string.unicodeScalars.count
            let quoted = JSONValue.quoted(SchemaText.cut(string, limit: SchemaText.valueLimit), limit: Int.max)
            if let minimum = keywords.minLength, length < minimum.value {
                findings.add(
                    violation(
                        node, "minLength", minimum.location,
                        "expected at least \(SchemaText.count(minimum.value, "character")), got \(length): \(quoted)"))
            }
            if let maximum = keywords.maxLength, length > maximum.value {
                findings.add(
                    violation(
                        node, "maxLength", maximum.location,
                        "expected at most \(SchemaText.count(maximum.value, "character")), got \(length): \(quoted)"))
            }
        }
        if let pattern = keywords.pattern, !pattern.value.matches(in: string) {
            findings.add(
                violation(
                    node, "pattern", pattern.location,
                    "expected a string matching \(SchemaText.pattern(pattern.value.pattern)), "
                        + "got \(SchemaText.seen(.string(string)))"))
        }
        if let format = keywords.format, !format.value.accepts(string) {
            findings.add(
                violation(
                    node, "format", format.location,
                    "expected \(format.value.expectation), got \(SchemaText.seen(.string(string)))",
                    isAnnotation: !formatAssertion))
        }
    }
}

/// What one evaluation has found so far.
struct Findings {
    let mode: SchemaValidator.Mode
    private(set) var violations: [JSONSchemaViolation] = []
    /// Failures added directly here (not merged from a nested evaluation, which counted its own).
    private(set) var newFailures = 0

    init(mode: SchemaValidator.Mode) {
        self.mode = mode
    }

    /// In `.first` mode, one failure settles the answer.
    var isSettled: Bool { mode == .first && !violations.isEmpty }

    var hasFailure: Bool { violations.contains { !$0.isAnnotation } }

    mutating func add(_ violation: JSONSchemaViolation) {
        if mode == .first, violation.isAnnotation || !violations.isEmpty { return }
        if !violation.isAnnotation { newFailures += 1 }
        violations.append(violation)
    }

    /// Adds what a nested evaluation found (in the same mode).
    mutating func merge(_ nested: [JSONSchemaViolation]) {
        if mode == .first {
            if violations.isEmpty, let first = nested.first { violations.append(first) }
            return
        }
        violations += nested
    }
}
