import ConformHTTP
import ConformJSON
import ConformSupport
import Foundation

/// Reads suite files (format version 1) into ``Suite``s, plain data, and reports every problem with its
/// location.
///
/// Nothing is sent and nothing else is read while loading: unknown keys, wrong types and references to
/// undefined variables or captures end here, as `file:line:column: error: …`; ``SuiteCompiler`` then
/// finds models and reads schemas, with the same kind of diagnostics.
struct SuiteLoader: Sendable {
    init() {}

    /// Loads every file; the error holds the diagnostics of all of them.
    func load(_ paths: [String]) throws(SuiteLoadError) -> [Suite] {
        var suites: [Suite] = []
        var diagnostics: [Diagnostic] = []
        for path in paths {
            switch load(path) {
            case .success(let suite): suites.append(suite)
            case .failure(let error): diagnostics += error.diagnostics
            }
        }
        if !diagnostics.isEmpty { throw SuiteLoadError(diagnostics: diagnostics) }
        return suites
    }

    /// Loads one file; when `deadline` passes, reading stops with a diagnostic that says why.
    func load(_ path: String, deadline: WorkDeadline = .never) -> Result<Suite, SuiteLoadError> {
        let data: Data
        do {
            data = try InputFile.read(path)
        } catch {
            let sink = DiagnosticSink(file: path)
            sink.error(error == .notFound ? "no such suite file" : "cannot read the suite file: \(error)", at: nil)
            return .failure(SuiteLoadError(diagnostics: sink.diagnostics))
        }
        return load(data, path: path, deadline: deadline)
    }

    /// Loads the text of a suite file as if it were read from `path` (which names it in diagnostics and is
    /// where its relative references start).
    func load(_ data: Data, path: String, deadline: WorkDeadline = .never) -> Result<Suite, SuiteLoadError> {
        let sink = DiagnosticSink(file: path)
        let format = SuiteFileFormat(path: path)
        let root: JSONNode
        do {
            root = try format.parse(Array(data))
        } catch {
            sink.error("invalid \(format.name): \(error.message)", at: error.location)
            return .failure(SuiteLoadError(diagnostics: sink.diagnostics))
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        var reader = SuiteFileReader(file: path, directory: directory, sink: sink)
        reader.deadline = deadline
        let suite = reader.readSuite(root)
        guard var suite, sink.diagnostics.isEmpty else {
            return .failure(
                SuiteLoadError(
                    diagnostics: sink.diagnostics.sorted {
                        ($0.location ?? SourceLocation(line: 0, column: 0))
                            < ($1.location ?? SourceLocation(line: 0, column: 0))
                    }))
        }
        suite.warnings = sink.warnings.sorted {
            ($0.location ?? SourceLocation(line: 0, column: 0)) < ($1.location ?? SourceLocation(line: 0, column: 0))
        }
        return .success(suite)
    }
}

/// The state of reading one suite file: the variables defined, the captures of earlier cases.
struct SuiteFileReader {
    enum Keys {
        static let suite = [
            "$schema", "format", "name", "description", "base_url", "mock", "variables", "secret_fields", "defaults",
            "blocks", "tls", "cases",
        ]
        static let tls = ["minimum_version", "expiry_warning_days"]
        static let variable = ["value", "default", "secret", "required", "description"]
        static let defaults = ["headers", "latency_budget_ms"]
        static let testCase = [
            "name", "description", "request", "expect", "warn", "capture", "report", "repeat", "concurrency",
            "repeat_safe", "compare", "tags", "requires", "each", "skip_if",
        ]
        static let comparison = ["faster", "slower", "statistic", "samples", "on_miss"]
        static let request = ["use", "method", "path", "query", "headers", "json", "form", "body", "client_auth"]
        static let clientAuth = ["method", "client_id", "client_secret", "private_key", "alg", "audience"]
        static let capture = ["field", "header", "secret", "optional", "contains"]
        static let observation = ["field", "compare_to"]
        static let methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
    }

    /// Where a template is written, which decides what it may reference.
    enum TemplateScope {
        case variableValue
        case variablesOnly(String)
        case testCase
    }

    let file: String
    let directory: URL
    let sink: DiagnosticSink
    var variableNames: [String] = []
    /// Capture name → the case that captures it.
    var captures: [String: String] = [:]
    /// Captures of all cases, known up front to word "captured by a later case".
    var laterCaptures: [String: String] = [:]
    var defaultHeaders: [NamedTemplate] = []
    /// The case being read, to word "captured by this case".
    var currentCase: String?
    /// The cases read so far, which comparison cases refer to.
    var readCases: [TestCase] = []
    var readVariables: [VariableDefinition] = []
    /// Shared blocks by name (``readBlocks(_:)``).
    var blocks: [String: JSONNode] = [:]
    /// Each block resolved once, and the values merges have copied (``resolvingUses(_:)``).
    let blockResolutions = BlockResolutions()
    /// Asked between cases: reading stops when the run is interrupted.
    var deadline = WorkDeadline.never

    /// The suite as read so far, to ask which references are secret.
    var readSuiteSoFar: Suite {
        Suite(
            file: file, name: "", baseURL: nil, mock: nil, variables: readVariables, secretFields: [], cases: readCases)
    }
    var defaultLatency: LatencyBudget = .milliseconds(ConformDefaults.latencyBudgetMilliseconds)

    init(file: String, directory: URL, sink: DiagnosticSink) {
        self.file = file
        self.directory = directory
        self.sink = sink
    }

    mutating func readSuite(_ root: JSONNode) -> Suite? {
        guard let object = ObjectReader(root, context: "suite", allowed: Keys.suite, sink: sink) else { return nil }
        readFormat(object)
        let name = object.string("name", required: true, nonEmpty: true)
        let description = object.string("description")
        let baseURL = object.node("base_url").flatMap(readBaseURL)
        let mock = object.node("mock").flatMap(readMock)
        let variables = object.node("variables").map { readVariables($0) } ?? []
        variableNames = variables.map(\.name)
        readVariables = variables
        let secretFields = Self.withIssuedTokens(object.array("secret_fields").map(readSecretFields) ?? [])
        let caseNodes = object.array("cases")
        // Capture names are known first, so that a reference to one gets its own message anywhere.
        if let caseNodes { collectCaptureNames(caseNodes) }
        if let defaults = object.object("defaults", allowed: Keys.defaults, context: "defaults") {
            readDefaults(defaults)
        }
        if let node = object.node("blocks") { readBlocks(node) }
        let tlsPolicy = object.object("tls", allowed: Keys.tls, context: "'tls'").map(readTLSPolicy) ?? TLSPolicy()
        var cases: [TestCase] = []
        if let caseNodes {
            if caseNodes.isEmpty {
                sink.error("'cases' must hold at least one case", at: object.node("cases")?.location)
            }
            var names: Set<String> = []
            // A case with 'each' is one case per row from here on.
            for node in caseNodes.flatMap({ expandingRows($0) }) {
                if let reason = deadline.stopReason() {
                    sink.error("loading stopped: \(reason)", at: node.location)
                    break
                }
                guard let testCase = readCase(node) else { continue }
                if !names.insert(testCase.name).inserted {
                    sink.error("duplicate case name '\(testCase.name)'", at: testCase.location)
                }
                cases.append(testCase)
                readCases.append(testCase)
            }
        } else if !object.has("cases") {
            sink.error("missing required key 'cases' in suite", at: object.location)
        }
        guard let name else { return nil }
        return Suite(
            file: file, name: name, description: description, baseURL: baseURL, mock: mock, variables: variables,
            secretFields: secretFields, tlsPolicy: tlsPolicy, cases: cases)
    }

    /// `"tls": {"minimum_version": "1.2", "expiry_warning_days": 30}`.
    private func readTLSPolicy(_ object: ObjectReader) -> TLSPolicy {
        var policy = TLSPolicy()
        if let text = object.string("minimum_version") {
            if let version = TLSPolicy.Version(text) {
                policy.minimumVersion = version
            } else {
                sink.error(
                    "'minimum_version' is one of \(TLSPolicy.Version.allCases.map { "\"\($0.number)\"" }.joined(separator: ", ")), got \(JSONValue.quoted(text))",
                    at: object.node("minimum_version")?.location)
            }
        }
        if let days = object.integer("expiry_warning_days") {
            if let range = ConformLimits.range(days, from: 0, atMost: 3650) {
                sink.error("'expiry_warning_days' \(range)", at: object.node("expiry_warning_days")?.location)
            } else {
                policy.expiryWarningDays = days
            }
        }
        return policy
    }

    private func readFormat(_ object: ObjectReader) {
        guard let node = object.node("format", required: true) else { return }
        guard case .number(let version) = node.value else {
            object.typeError("format", "the number \(ConformDefaults.suiteFormatVersion)", node)
            return
        }
        if version != Double(ConformDefaults.suiteFormatVersion) {
            sink.error(
                "unsupported suite format \(JSONValue.format(version)) (this conform reads format \(ConformDefaults.suiteFormatVersion))",
                at: node.location)
        }
    }

    private func readBaseURL(_ node: JSONNode) -> URL? {
        guard case .string(let text) = node.value else {
            sink.error("'base_url' must be a string, got \(node.typeDescription)", at: node.location)
            return nil
        }
        switch BaseURL.parse(text) {
        case .success(let url): return url
        case .failure(let problem):
            sink.error("'base_url' \(problem)", at: node.location)
            return nil
        }
    }

    private func readMock(_ node: JSONNode) -> String? {
        guard case .string(let text) = node.value else {
            sink.error("'mock' must be a string, got \(node.typeDescription)", at: node.location)
            return nil
        }
        guard MockRegistry.named(text) != nil else {
            let known = MockRegistry.names
            sink.error(
                "unknown mock '\(text)'\(Suggestion.hint(for: text, in: known)) (known mocks: \(known.joined(separator: ", ")))",
                at: node.location)
            return nil
        }
        return text
    }

    private func readVariables(_ node: JSONNode) -> [VariableDefinition] {
        guard let entries = ObjectReader.entries(node, context: "'variables'", sink: sink) else { return [] }
        var variables: [VariableDefinition] = []
        for entry in entries {
            guard Template.isName(entry.key) else {
                sink.error("variable name '\(entry.key)' must be letters, digits and '_'", at: entry.keyLocation)
                continue
            }
            let context = "variable '\(entry.key)'"
            guard let object = ObjectReader(entry.value, context: context, allowed: Keys.variable, sink: sink) else {
                continue
            }
            let value = object.node("value").flatMap { readTemplate($0, key: "value", scope: .variableValue) }
            let defaultValue = object.string("default")
            if value == nil && defaultValue == nil && !object.has("value") {
                sink.error("\(context) needs a 'value' or a 'default'", at: object.location)
            }
            // `"default": "${client_id}"`: the value of a variable declared above, when this one has none.
            var defaultReference: String?
            if let text = defaultValue, text.hasPrefix("${"), text.hasSuffix("}"),
                Template.isName(String(text.dropFirst(2).dropLast()))
            {
                let name = String(text.dropFirst(2).dropLast())
                if variables.contains(where: { $0.name == name }) {
                    defaultReference = name
                } else {
                    sink.error(
                        "\(context): a 'default' may name a variable declared above it; '\(name)' is not one",
                        at: object.node("default")?.location)
                }
            }
            variables.append(
                VariableDefinition(
                    name: entry.key, value: value, defaultValue: defaultValue, secret: object.bool("secret") ?? false,
                    required: object.bool("required") ?? true, description: object.string("description"),
                    location: entry.keyLocation, defaultReference: defaultReference))
        }
        return variables
    }

    private func readSecretFields(_ nodes: [JSONNode]) -> [FieldPath] {
        nodes.compactMap { node in
            guard case .string(let text) = node.value, let path = FieldPath(text) else {
                sink.error("'secret_fields' entries must be field paths such as \"access_token\"", at: node.location)
                return nil
            }
            return path
        }
    }

    private mutating func readDefaults(_ defaults: ObjectReader) {
        if let headers = defaults.node("headers") {
            defaultHeaders = readNamedTemplates(
                headers, context: "'headers' in defaults", isHeader: true, scope: .variablesOnly("'defaults'"))
        }
        if let node = defaults.node("latency_budget_ms"), let budget = readLatencyBudget(node) {
            defaultLatency = budget
        }
    }

    /// Notes every capture name first, so that a reference to a later case's capture gets its own message.
    private mutating func collectCaptureNames(_ caseNodes: [JSONNode]) {
        for node in caseNodes {
            guard case .object(let members) = node.value else { continue }
            let name = members.first { $0.key == "name" }.flatMap { member -> String? in
                if case .string(let text) = member.value.value { text } else { nil }
            }
            guard let capture = members.first(where: { $0.key == "capture" }),
                case .object(let entries) = capture.value.value
            else { continue }
            for entry in entries where laterCaptures[entry.key] == nil {
                laterCaptures[entry.key] = name ?? "?"
            }
        }
    }

    // MARK: Templates

    func readTemplate(_ node: JSONNode, key: String, scope: TemplateScope) -> Template? {
        guard case .string(let text) = node.value else {
            sink.error("'\(key)' must be a string, got \(node.typeDescription)", at: node.location)
            return nil
        }
        return parseTemplate(text, at: node.location, scope: scope)
    }

    /// Parses a template and decides, for each `${name}`, whether it is a variable or an earlier capture.
    func parseTemplate(_ text: String, at location: SourceLocation, scope: TemplateScope) -> Template? {
        var template: Template
        do {
            template = try Template.parse(text)
        } catch {
            sink.error(error.description, at: location)
            return nil
        }
        var valid = true
        template.segments = template.segments.map { segment in
            switch (segment, scope) {
            case (.literal, _):
                return segment
            case (.function(let function), .variableValue):
                sink.error(
                    "a variable's 'value' may only reference the environment ('${env:NAME}'), not '${\(function)}'",
                    at: location)
                valid = false
            case (.function, _):
                return segment
            case (.environment, .variableValue):
                return segment
            case (.environment(let name), _):
                sink.error(
                    "'${env:\(name)}' is only allowed in a variable's 'value'; define a variable that reads it",
                    at: location)
                valid = false
            case (.variable(let name), .variableValue):
                sink.error(
                    "a variable's 'value' may only reference the environment ('${env:NAME}'), not '${\(name)}'",
                    at: location)
                valid = false
            case (.variable(let name), _) where variableNames.contains(name):
                return segment
            case (.variable(let name), .testCase) where captures[name] != nil:
                return .capture(name)
            case (.variable(let name), .variablesOnly(let what))
            where captures[name] != nil || laterCaptures[name] != nil:
                sink.error("\(what) may only reference variables, not the capture '${\(name)}'", at: location)
                valid = false
            case (.variable(let name), _) where laterCaptures[name] != nil && laterCaptures[name] == currentCase:
                sink.error(
                    "'${\(name)}' is captured by this case; a capture is available only to the cases after it",
                    at: location)
                valid = false
            case (.variable(let name), _) where laterCaptures[name] != nil:
                sink.error(
                    "'${\(name)}' is captured by the later case '\(laterCaptures[name]!)'; a capture is available only to the cases after it",
                    at: location)
                valid = false
            case (.variable(let name), _):
                let hint = Suggestion.hint(for: name, in: variableNames + Array(captures.keys))
                sink.error("undefined variable or capture '${\(name)}'\(hint)", at: location)
                valid = false
            case (.capture, _):
                return segment
            }
            return segment
        }
        return valid ? template : nil
    }

    func readNamedTemplates(
        _ node: JSONNode, context: String, isHeader: Bool, scope: TemplateScope = .testCase
    ) -> [NamedTemplate] {
        guard let entries = ObjectReader.entries(node, context: context, sink: sink) else { return [] }
        return entries.compactMap { entry in
            if isHeader && !HTTPHeaderName.isValid(entry.key) {
                sink.error("'\(entry.key)' is not a valid header name", at: entry.keyLocation)
                return nil
            }
            let text: String
            switch entry.value.value {
            case .string(let string): text = string
            case .number(let number) where !isHeader: text = JSONValue.format(number)
            case .bool(let bool) where !isHeader: text = String(bool)
            default:
                let expected = isHeader ? "a string" : "a string, number or boolean"
                sink.error(
                    "'\(entry.key)' in \(context) must be \(expected), got \(entry.value.typeDescription)",
                    at: entry.value.location)
                return nil
            }
            guard let template = parseTemplate(text, at: entry.value.location, scope: scope) else { return nil }
            return NamedTemplate(name: entry.key, value: template)
        }
    }

    func readLatencyBudget(_ node: JSONNode) -> LatencyBudget? {
        switch node.value {
        case .number(let milliseconds) where milliseconds > 0:
            return .milliseconds(milliseconds)
        case .string(let text):
            return parseTemplate(text, at: node.location, scope: .variablesOnly("'latency_budget_ms'")).map {
                .template($0)
            }
        default:
            sink.error(
                "'latency_budget_ms' must be a number of milliseconds above 0 or a \"${variable}\", got \(node.typeDescription)",
                at: node.location)
            return nil
        }
    }
}

/// Header names are RFC 9110 tokens.
enum HTTPHeaderName {
    static func isValid(_ name: String) -> Bool {
        !name.isEmpty
            && name.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII
                    && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                        || "!#$%&'*+-.^_`|~".unicodeScalars.contains(scalar))
            }
    }
}

extension SuiteFileReader {
    /// The tokens a token endpoint issues (RFC 6749 §5.1, OpenID Connect Core §3.1.3.3): secret in every
    /// suite whether or not its `secret_fields` lists them, so that an `id_token` a suite did not expect is
    /// masked like the access token.
    static let issuedTokenFields = ["access_token", "refresh_token", "id_token"]

    static func withIssuedTokens(_ fields: [FieldPath]) -> [FieldPath] {
        let named = Set(fields.map(\.description))
        return fields + issuedTokenFields.filter { !named.contains($0) }.compactMap { FieldPath($0) }
    }
}
