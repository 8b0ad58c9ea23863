import ConformJSON
import ConformSupport

/// Turns a located JSON document into the table of ``CompiledSchema``s a ``JSONSchema`` validates with.
///
/// Stages: read every schema object reachable from the root (keywords checked and located, subschemas given
/// indexes), then resolve each `$ref` to an index (compiling its target if it was not reached as a schema),
/// then refuse `$ref` cycles that apply schemas to the same value forever. Every problem becomes a
/// ``Diagnostic`` at the offending keyword or value; compilation goes on after one, so that all are reported.
///
/// Nothing here recurses: a subschema gets its index at once and is read later from a queue, so a schema
/// nested as deep as the JSON reader allows costs no stack.
struct JSONSchemaCompiler {
    /// A schema while the document is read; it becomes a ``CompiledSchema`` once its `$ref` is resolved.
    struct Entry {
        var location: SourceLocation
        var pointer: String
        var boolean: Bool?
        var keywords = SchemaKeywords()
    }

    struct PendingReference {
        var schema: SchemaIndex
        var text: String
        var tokens: [String]
        var valueLocation: SourceLocation
    }

    let root: JSONNode
    let sink: DiagnosticSink
    var schemas: [Entry] = []
    var indexByPointer: [String: SchemaIndex] = [:]
    var pendingReferences: [PendingReference] = []
    /// Schemas that have an index but whose keywords are still to be read.
    var pendingSchemas: [(index: SchemaIndex, node: JSONNode, tokens: [String])] = []
    /// The `$ref` text of each schema that has one, for cycle diagnostics.
    var referenceTexts: [SchemaIndex: String] = [:]
    /// Whether the document uses `$id`, `$anchor` or dynamic anchors, which conform refuses.
    var usesIdentifiers = false
    /// Asked between schemas: compiling stops, with a diagnostic, when the run is interrupted.
    var deadline: DeadlineCheck
    /// Why compiling stopped before the end.
    var stopped: String?
    /// Pointers looked up and object members indexed to resolve the references.
    var referenceWork = 0

    init(root: JSONNode, sink: DiagnosticSink, deadline: WorkDeadline = .never) {
        self.root = root
        self.sink = sink
        self.deadline = DeadlineCheck(deadline, every: 1024)
    }

    static func compile(
        _ root: JSONNode, file: String, deadline: WorkDeadline = .never
    ) -> Result<[CompiledSchema], JSONSchemaLoadError> {
        measuredCompile(root, file: file, deadline: deadline).result
    }

    /// ``compile(_:file:deadline:)`` with the steps its references took to resolve (pointers looked up,
    /// members indexed), for tests of its cost.
    static func measuredCompile(
        _ root: JSONNode, file: String, deadline: WorkDeadline = .never
    ) -> (result: Result<[CompiledSchema], JSONSchemaLoadError>, referenceWork: Int) {
        var compiler = JSONSchemaCompiler(root: root, sink: DiagnosticSink(file: file), deadline: deadline)
        _ = compiler.compileSchema(root, tokens: [])
        compiler.readPendingSchemas()
        // With $id or anchors in the document, a $ref may mean something other than a pointer into it:
        // their refusal is the diagnostic, not a pointer that seems to lead nowhere.
        if !compiler.usesIdentifiers, compiler.stopped == nil { compiler.resolveReferences() }
        if let reason = compiler.stopped {
            compiler.error("compiling the schema stopped: \(reason)", at: root.location)
        }
        if compiler.sink.diagnostics.isEmpty { compiler.refuseEndlessCycles() }
        let diagnostics = compiler.sink.diagnostics.enumerated().sorted {
            ($0.element.location ?? SourceLocation(line: 0, column: 0), $0.offset)
                < ($1.element.location ?? SourceLocation(line: 0, column: 0), $1.offset)
        }.map(\.element)
        guard diagnostics.isEmpty else {
            return (.failure(JSONSchemaLoadError(diagnostics: diagnostics)), compiler.referenceWork)
        }
        let schemas = compiler.schemas.map {
            CompiledSchema(location: $0.location, pointer: $0.pointer, boolean: $0.boolean, keywords: $0.keywords)
        }
        return (.success(schemas), compiler.referenceWork)
    }

    func error(_ message: String, at location: SourceLocation) {
        sink.error(message, at: location)
    }

    // MARK: - Schemas

    /// The index of the schema at `tokens`, given once: a second request returns the same index. Its
    /// keywords are read by `readPendingSchemas`.
    mutating func compileSchema(_ node: JSONNode, tokens: [String]) -> SchemaIndex {
        let pointer = JSONPointer.text(of: tokens)
        if let existing = indexByPointer[pointer] { return existing }
        let index = schemas.count
        schemas.append(Entry(location: node.location, pointer: pointer))
        indexByPointer[pointer] = index
        pendingSchemas.append((index, node, tokens))
        return index
    }

    /// Whether the deadline has passed (asked every so many schemas); pending work is dropped then.
    mutating func mustStop() -> Bool {
        if stopped == nil, let reason = deadline.stopReason() { stopped = reason }
        guard stopped != nil else { return false }
        pendingSchemas.removeAll()
        pendingReferences.removeAll()
        return true
    }

    mutating func readPendingSchemas() {
        while !mustStop(), let (index, node, tokens) = pendingSchemas.popLast() {
            switch node.value {
            case .bool(let value):
                schemas[index].boolean = value
            case .object(let members):
                schemas[index].keywords = readKeywords(members, of: index, tokens: tokens)
            default:
                error("a schema must be an object or a boolean, got \(node.typeDescription)", at: node.location)
            }
        }
    }

    // MARK: - References

    /// Reads a `$ref` value; its index is filled in once the whole document has been read.
    mutating func readReference(
        _ node: JSONNode, of schema: SchemaIndex, keyLocation: SourceLocation
    ) -> Located<SchemaIndex>? {
        guard case .string(let text) = node.value else {
            error("\"$ref\" must be a string, got \(node.typeDescription)", at: node.location)
            return nil
        }
        switch JSONPointer.parseReference(text) {
        case .success(let tokens):
            referenceTexts[schema] = text
            pendingReferences.append(
                PendingReference(schema: schema, text: text, tokens: tokens, valueLocation: node.location))
            return Located(value: -1, location: keyLocation)
        case .failure(let problem):
            error(problem.message(for: text), at: node.location)
            return nil
        }
    }

    /// Points every `$ref` at its target's index; a target that was not read as a schema (`#/$defs` itself,
    /// a value inside `enum`…) is compiled now, and may bring references of its own. A target already read as a schema is found by its pointer; any other is looked up through an index
    /// of the objects on its way, so resolving every reference is linear in the document.
    mutating func resolveReferences() {
        var resolver = JSONPointerResolver(root: root)
        while !mustStop(), let reference = pendingReferences.popLast() {
            defer { readPendingSchemas() }
            referenceWork += 1
            if let index = indexByPointer[JSONPointer.text(of: reference.tokens)] {
                schemas[reference.schema].keywords.ref?.value = index
                continue
            }
            switch resolver.resolve(reference.tokens) {
            case .success(let target):
                let index = compileSchema(target, tokens: reference.tokens)
                schemas[reference.schema].keywords.ref?.value = index
            case .failure(let missing):
                error(
                    "$ref \(JSONValue.quoted(reference.text)) points to nothing in this document (\(missing.description))",
                    at: reference.valueLocation)
            }
        }
        referenceWork += resolver.work
    }

    // MARK: - Cycles

    /// Refuses every cycle of `$ref`s (with `allOf`, `not`, `if`… between them) that comes back to a schema
    /// without moving into a property or item: such a schema would be applied to the same value forever
    /// (`{"$ref": "#"}`, or `#/$defs/a` → `#/$defs/b` → `#/$defs/a`).
    func refuseEndlessCycles() {
        let edges = schemas.map(\.keywords.inPlaceSubschemas)
        for component in StronglyConnectedComponents.find(edges: edges) {
            let members = Set(component)
            let isCycle = component.count > 1 || edges[component[0]].contains(component[0])
            guard isCycle else { continue }
            // Report at the first $ref (in file order) that stays inside the cycle.
            let references = component.compactMap { index -> (SchemaIndex, Located<SchemaIndex>)? in
                guard let ref = schemas[index].keywords.ref, members.contains(ref.value) else { return nil }
                return (index, ref)
            }.sorted { $0.1.location < $1.1.location }
            guard let (source, ref) = references.first else { continue }
            let path = cyclePath(from: ref.value, to: source, within: members, edges: edges) + [ref.value]
            let text = referenceTexts[source] ?? "#"
            error(
                "$ref \(JSONValue.quoted(text)) closes a cycle of schemas that never moves into the instance ("
                    + path.map { "#" + schemas[$0].pointer }.joined(separator: " → ")
                    + "), so validation would never end",
                at: ref.location)
        }
    }

    /// The shortest path of schemas from `start` to `end` inside one cycle, both included.
    private func cyclePath(
        from start: SchemaIndex, to end: SchemaIndex, within members: Set<SchemaIndex>, edges: [[SchemaIndex]]
    ) -> [SchemaIndex] {
        var previous: [SchemaIndex: SchemaIndex] = [start: start]
        var queue = [start]
        var head = 0
        while head < queue.count, previous[end] == nil {
            let current = queue[head]
            head += 1
            for next in edges[current] where members.contains(next) && previous[next] == nil {
                previous[next] = current
                queue.append(next)
            }
        }
        var path = [end]
        while let last = path.last, last != start, let before = previous[last] { path.append(before) }
        return path.reversed()
    }
}
