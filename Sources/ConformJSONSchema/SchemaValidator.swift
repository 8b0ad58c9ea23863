import ConformJSON
import ConformRegex
import ConformSupport

/// Applies compiled schemas to one instance and reports its violations.
///
/// A schema is evaluated against a node in one of two modes. `.all` collects every violation and every
/// format annotation, for the report. `.first` stops at the first failure and ignores annotations: it
/// answers "is this valid?" for `anyOf`, `oneOf`, `not`, `if` and `contains`, and gives the first reason
/// of a failed alternative. `.first` results are remembered per (schema, node) and `.all` visits each pair
/// once, so a hostile combination of `$ref`s and applicators costs at most schemas × nodes evaluations.
/// Nesting is bounded by ``maximumDepth`` and the report by ``maximumViolations``. Each `pattern` search has
/// the regex engine's step budget, and the whole validation stops when its ``WorkDeadline`` passes (asked every
/// few hundred evaluations and inside every pattern search); its last violation then says why.
struct SchemaValidator {
    enum Mode {
        case first
        case all
    }

    /// Schemas applied inside one another (through `$ref`, properties, items…) before validation gives up
    /// with a violation. In a release build a level costs at most about 1 KiB of stack, so validation fits in
    /// a 512 KiB thread (a macOS secondary thread's default) with room for its caller; a recursive schema
    /// with one `$ref` per level of the value reaches 200 levels deep.
    static let maximumDepth = 400
    /// Failures reported for one instance; the rest are summarised in one last violation.
    static let maximumViolations = 100

    let schemas: [CompiledSchema]
    let formatAssertion: Bool
    let tree: InstanceTree
    /// When validation must stop, and why it did.
    let stop: ValidationStop
    private var deadlineCheck: DeadlineCheck
    /// For each (schema, node) evaluated in `.first` mode: -1 when valid, else its failure in `failures`.
    private var firstFailures: [Int: Int] = [:]
    private var failures: [JSONSchemaViolation] = []
    private var collected: Set<Int> = []
    private var depth = 0
    private var failuresReported = 0
    /// How many (schema, node) evaluations ran (remembered answers not counted); tests bound it.
    private(set) var evaluations = 0

    init(schemas: [CompiledSchema], formatAssertion: Bool, instance: JSONValue, deadline: WorkDeadline = .never) {
        self.schemas = schemas
        self.formatAssertion = formatAssertion
        self.tree = InstanceTree(instance)
        self.stop = ValidationStop(deadline)
        self.deadlineCheck = DeadlineCheck(deadline, every: 256)
    }

    /// Every violation of the root schema, failures and annotations in the order they were found.
    mutating func validate() -> [JSONSchemaViolation] {
        var violations = evaluate(0, 0, .all)
        if let reason = stop.reason {
            violations.append(
                JSONSchemaViolation(
                    instancePath: "", keyword: "", schemaLocation: schemas[0].location,
                    message: "validation stopped before the end: \(reason)"))
        }
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
    ///
    /// This and the functions it recurses through (`apply`, `applySubschemas`, the applicators) keep their
    /// frames small: messages and plans are made in separate `@inline(never)` functions that return before
    /// the recursion goes on, so that ``maximumDepth`` levels fit in a 512 KiB thread stack.
    @inline(never)
    mutating func evaluate(_ index: SchemaIndex, _ node: Int, _ mode: Mode) -> [JSONSchemaViolation] {
        let key = index &* tree.nodes.count &+ node
        switch mode {
        case .first:
            if let known = firstFailures[key] { return known < 0 ? [] : [failures[known]] }
        case .all:
            guard failuresReported <= Self.maximumViolations, collected.insert(key).inserted else { return [] }
        }
        if stop.reason == nil, let reason = deadlineCheck.stopReason() { stop.reason = reason }
        // Stopped: nothing more is evaluated, and nothing is remembered as valid.
        guard stop.reason == nil else { return [] }
        depth += 1
        evaluations += 1
        defer { depth -= 1 }
        var findings = Findings(mode: mode)
        if depth > Self.maximumDepth {
            findings.add(tooDeep(index, node))
        } else {
            apply(schemas[index], to: node, &findings)
        }
        remember(findings, for: key)
        return findings.violations
    }

    @inline(never)
    private mutating func remember(_ findings: Findings, for key: Int) {
        switch findings.mode {
        case .first:
            if let failure = findings.violations.first {
                firstFailures[key] = failures.count
                failures.append(failure)
            } else {
                firstFailures[key] = -1
            }
        case .all:
            failuresReported += findings.newFailures
        }
    }

    private mutating func apply(_ schema: CompiledSchema, to node: Int, _ findings: inout Findings) {
        if let boolean = schema.boolean {
            if !boolean { findings.add(falseSchema(schema, node)) }
            return
        }
        if let ref = schema.keywords.ref {
            findings.merge(evaluate(ref.value, node, findings.mode))
        }
        checkAssertions(schema, at: node, &findings)
        applySubschemas(schema, to: node, &findings)
        applyContains(schema, to: node, &findings)
        applyApplicators(schema, to: node, &findings)
    }

    @inline(never)
    private func tooDeep(_ index: SchemaIndex, _ node: Int) -> JSONSchemaViolation {
        violation(
            node, "depth", schemas[index].location,
            "validation stopped here: schemas applied more than \(Self.maximumDepth) levels deep")
    }

    @inline(never)
    private func falseSchema(_ schema: CompiledSchema, _ node: Int) -> JSONSchemaViolation {
        violation(
            node, "false", schema.location,
            "no value is allowed here (the schema is false), got \(SchemaText.seen(tree.nodes[node].value))")
    }

    /// A violation at `node`; at a key node, the path is its object's and the message names the key.
    func violation(
        _ node: Int, _ keyword: String, _ location: SourceLocation, _ message: String, isAnnotation: Bool = false
    ) -> JSONSchemaViolation {
        var text = message
        if tree.nodes[node].isPropertyName, case .string(let name) = tree.nodes[node].value {
            text = "property name \(SchemaText.name(name)): \(message)"
        }
        return JSONSchemaViolation(
            instancePath: tree.path(of: node), keyword: keyword, schemaLocation: location, message: text,
            isAnnotation: isAnnotation)
    }
}

/// Why a validation stopped before its end (its deadline passed), shared by the validator's functions.
final class ValidationStop {
    let deadline: WorkDeadline
    var reason: String?

    init(_ deadline: WorkDeadline) {
        self.deadline = deadline
    }

    /// Whether the pattern matches the string; `nil` when the search gave up: too costly (the caller reports
    /// it) or stopped by the deadline (recorded here).
    func matches(_ regex: LinearRegex, _ string: String) -> Result<Bool, LinearRegex.Stop> {
        do {
            return .success(try regex.matches(in: string, deadline: deadline))
        } catch {
            if case .stopped(let reason) = error, self.reason == nil { self.reason = reason }
            return .failure(error)
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
