import ConformJSONSchema
import ConformSupport
import ConformXML
import Foundation

/// The step between loading and running: turns a loaded suite (plain data) into a runnable one. Models are
/// found by name (``ResponseModels``), schemas are read and compiled once; every problem is a located
/// diagnostic, like the loader's. `conform lint` is load + compile.
struct SuiteCompiler: Sendable {
    let xmlSchemas: XMLSchemaCache

    init(xmlSchemas: XMLSchemaCache = XMLSchemaCache()) {
        self.xmlSchemas = xmlSchemas
    }

    /// Loads and compiles every file; the error holds the diagnostics of all of them, each file's in order.
    func load(_ paths: [String]) throws(SuiteLoadError) -> [CompiledSuite] {
        var compiled: [CompiledSuite] = []
        var diagnostics: [Diagnostic] = []
        for result in loadEach(paths) {
            switch result {
            case .success(let suite)?: compiled.append(suite)
            case .failure(let error)?: diagnostics += error.diagnostics
            case nil: break
            }
        }
        if !diagnostics.isEmpty { throw SuiteLoadError(diagnostics: diagnostics) }
        return compiled
    }

    /// Loads and compiles each file in turn, until `deadline` passes: one result per path, `nil` for the
    /// paths not reached then. A file whose loading the deadline cut fails with a diagnostic that says so.
    func loadEach(
        _ paths: [String], deadline: WorkDeadline = .never
    ) -> [Result<CompiledSuite, SuiteLoadError>?] {
        var results: [Result<CompiledSuite, SuiteLoadError>?] = []
        for path in paths {
            guard !deadline.hasPassed else {
                results.append(nil)
                continue
            }
            results.append(SuiteLoader().load(path, deadline: deadline).flatMap { compile($0, deadline: deadline) })
        }
        return results
    }

    func compile(_ suite: Suite, deadline: WorkDeadline = .never) -> Result<CompiledSuite, SuiteLoadError> {
        var diagnostics: [Diagnostic] = []
        var bodies: [String: CaseBodies] = [:]
        let folder = URL(fileURLWithPath: suite.file).deletingLastPathComponent()
        func compile(_ body: BodyExpectation?) -> CompiledBody? {
            switch body {
            case nil:
                return nil
            case .model(let name, let location):
                guard let body = ResponseModels.body(named: name) else {
                    let hint = Suggestion.hint(for: name, in: ResponseModels.names)
                    diagnostics.append(
                        Diagnostic(
                            file: suite.file, location: location,
                            message:
                                "unknown model '\(name)'\(hint) (known models: \(ResponseModels.names.joined(separator: ", ")))"
                        ))
                    return nil
                }
                return body
            case .jsonSchema(let source, let location):
                let result: Result<JSONSchema, JSONSchemaLoadError>
                let name: String
                switch source {
                case .file(let path, let url):
                    name = path
                    result = JSONSchema.load(contentsOf: url.path, deadline: deadline)
                case .inline(let node):
                    name = "json_schema"
                    result = JSONSchema.compile(node, file: suite.file, deadline: deadline)
                }
                switch result {
                case .success(let schema):
                    return .jsonSchema(CompiledJSONBody(schema: schema, name: name, file: source.file))
                case .failure(let error):
                    if case .file(let path, _) = source, error.diagnostics.allSatisfy({ $0.location == nil }) {
                        diagnostics.append(
                            Diagnostic(
                                file: suite.file, location: location,
                                message: "cannot use JSON Schema '\(path)': \(error.diagnostics.map(\.message).joined(separator: "; "))"))
                    } else {
                        diagnostics += error.diagnostics
                    }
                    return nil
                }
            case .xml(let xml):
                do {
                    let schema = try xmlSchemas.schema(at: xml.url, suiteFolder: folder)
                    return .xml(
                        CompiledXMLBody(
                            schema: schema, errorRoot: xml.errorRoot, errorMessageElement: xml.errorMessageElement))
                } catch {
                    diagnostics.append(
                        Diagnostic(
                            file: suite.file, location: xml.location,
                            message: "cannot use XML schema '\(xml.path)': \(error.description)"))
                    return nil
                }
            }
        }
        for testCase in suite.cases {
            if let reason = deadline.stopReason() {
                diagnostics.append(
                    Diagnostic(file: suite.file, location: testCase.location, message: "compiling stopped: \(reason)"))
                break
            }
            bodies[testCase.name] = CaseBodies(expect: compile(testCase.expect.body), warn: compile(testCase.warn?.body))
        }
        guard diagnostics.isEmpty else {
            let once = diagnostics.withoutRepeats
            let sorted = once.sorted { ($0.location ?? .start) < ($1.location ?? .start) }
            return .failure(SuiteLoadError(diagnostics: sorted))
        }
        return .success(CompiledSuite(suite: suite, bodies: bodies))
    }
}

/// A suite ready to run: its plain data, and the compiled body of each case's `expect` and `warn`.
struct CompiledSuite: Sendable {
    var suite: Suite
    var bodies: [String: CaseBodies]

    func bodies(of testCase: TestCase) -> CaseBodies {
        bodies[testCase.name] ?? CaseBodies()
    }

    /// The files this suite reads: itself and its schemas, with what they include.
    var inputFiles: [String] {
        var files = [suite.file]
        for body in bodies.values.flatMap({ [$0.expect, $0.warn] }) {
            switch body {
            case .xml(let xml)?: files += [xml.schema.url.path] + xml.schema.includedFiles
            case .jsonSchema(let json)?: files += json.file.map { [$0] } ?? []
            default: break
            }
        }
        var seen: Set<String> = []
        return files.filter { seen.insert($0).inserted }
    }
}

/// The compiled bodies of one case.
struct CaseBodies: Sendable {
    var expect: CompiledBody?
    var warn: CompiledBody?

    /// How the response body is read: by the first block that says.
    var documentKind: ResponseDocument.Kind? {
        for body in [expect, warn] {
            switch body {
            case .model, .jsonSchema: return .json
            case .xml(let xml): return .xml(xml.schema)
            case nil: continue
            }
        }
        return nil
    }
}

/// A body's decoder and validator, compiled once per suite.
enum CompiledBody: Sendable {
    /// A documented JSON model, decoded strictly with `Codable`.
    case model(any ResponseModel.Type)
    /// An XML document validated against an XSD.
    case xml(CompiledXMLBody)
    /// A JSON body validated against a JSON Schema.
    case jsonSchema(CompiledJSONBody)
}

/// A JSON Schema compiled once, with the name messages give it (`rfc6749.token`, a file's path).
struct CompiledJSONBody: Sendable {
    var schema: JSONSchema
    var name: String
    /// The schema's file, when it has one (an input of the run).
    var file: String?

    init(schema: JSONSchema, name: String, file: String? = nil) {
        self.schema = schema
        self.name = name
        self.file = file
    }
}

extension JSONSchemaSource {
    var file: String? {
        if case .file(_, let url) = self { url.path } else { nil }
    }
}

/// An XSD read once, with the vendor's error document.
struct CompiledXMLBody: Sendable {
    var schema: XMLSchema
    var errorRoot: String?
    var errorMessageElement: String?

    init(schema: XMLSchema, errorRoot: String? = nil, errorMessageElement: String? = nil) {
        self.schema = schema
        self.errorRoot = errorRoot
        self.errorMessageElement = errorMessageElement
    }
}

extension SourceLocation {
    static let start = SourceLocation(line: 0, column: 0)
}
