import ConformJSON
import ConformSupport
import Foundation

extension SuiteFileReader {
    mutating func readCase(_ node: JSONNode) -> TestCase? {
        guard let object = ObjectReader(node, context: "case", allowed: Keys.testCase, sink: sink) else { return nil }
        let name = object.string("name", required: true, nonEmpty: true)
        currentCase = name
        defer { currentCase = nil }
        let context = name.map { "case '\($0)'" } ?? "case"
        if object.has("compare") { return readComparisonCase(object, name: name, context: context) }
        let request = object.node("request", required: true).flatMap { resolvingUses($0) }
            .flatMap { ObjectReader($0, context: "request of \(context)", allowed: Keys.request, sink: sink) }
            .flatMap(readRequest)
        let expect = object.node("expect", required: true).flatMap { resolvingUses($0) }
            .flatMap { ObjectReader($0, context: "expect of \(context)", allowed: Keys.expectations, sink: sink) }
            .flatMap { readExpectations($0, isWarning: false) }
        let warn = object.node("warn").flatMap { resolvingUses($0) }
            .flatMap { ObjectReader($0, context: "warn of \(context)", allowed: Keys.warnings, sink: sink) }
            .flatMap { readExpectations($0, isWarning: true) }
        let skipIf = object.node("skip_if").flatMap { resolvingUses($0) }
            .flatMap { ObjectReader($0, context: "skip_if of \(context)", allowed: Keys.skipIf, sink: sink) }
            .flatMap { skip -> Expectations? in
                _ = skip.string("reason", required: true, nonEmpty: true)
                return readExpectations(skip, isWarning: false)
            }
        let observations = object.array("report").map { readObservations($0, context: context) } ?? []
        // Captures become visible to the cases after this one only.
        let captures = object.node("capture").map { readCaptures($0, context: context) } ?? []
        for capture in captures { self.captures[capture.name] = name ?? "?" }
        checkBodyKinds(expect: expect, warn: warn, captures: captures, observations: observations, at: object.location)
        let (repeatCount, concurrency) = readRepetition(object)
        let repeatSafe = object.bool("repeat_safe") ?? false
        let tags = readTags(object)
        let requires = readRequires(object)
        guard let name, let request, var expect else { return nil }
        if expect.latencyBudget == nil { expect.latencyBudget = defaultLatency }
        return TestCase(
            name: name, description: object.string("description"), location: object.location, action: .request(request),
            expect: expect, warn: warn, captures: captures, observations: observations, repeatCount: repeatCount,
            concurrency: concurrency, repeatSafe: repeatSafe, tags: tags, requires: requires,
            skipIf: skipIf?.reason == nil ? nil : skipIf)
    }

    /// `"requires": ["rotated_refresh_token"]`: variables or earlier captures the case needs without
    /// sending them; each is checked like a reference.
    private func readRequires(_ object: ObjectReader) -> [Template.Segment] {
        guard let nodes = object.array("requires") else { return [] }
        return nodes.flatMap { node -> [Template.Segment] in
            guard case .string(let name) = node.value, Template.isName(name) else {
                sink.error("'requires' names variables or captures: \"name\", without ${}", at: node.location)
                return []
            }
            return parseTemplate("${\(name)}", at: node.location, scope: .testCase)?.references ?? []
        }
    }

    /// `"tags": ["smoke", "negative"]`: names of letters, digits, '_', '-' and '.'.
    private func readTags(_ object: ObjectReader) -> [String] {
        guard let nodes = object.array("tags") else { return [] }
        var tags: [String] = []
        for node in nodes {
            guard case .string(let tag) = node.value, Self.isTag(tag) else {
                sink.error("a tag is a non-empty name of letters, digits, '_', '-' and '.'", at: node.location)
                continue
            }
            if !tags.contains(tag) { tags.append(tag) }
        }
        return tags
    }

    static func isTag(_ text: String) -> Bool {
        !text.isEmpty
            && text.unicodeScalars.allSatisfy {
                $0.isASCII
                    && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_-.".unicodeScalars.contains($0))
            }
    }

    private func readRepetition(_ object: ObjectReader) -> (Int?, Int?) {
        var counts: [Int?] = []
        for key in ["repeat", "concurrency"] {
            let value = object.integer(key)
            let most = key == "repeat" ? ConformLimits.samples : ConformLimits.concurrency
            if let value, let range = ConformLimits.range(value, from: 1, atMost: most) {
                sink.error("'\(key)' in \(object.context) \(range)", at: object.node(key)?.location)
                counts.append(nil)
            } else {
                counts.append(value)
            }
        }
        return (counts[0], counts[1])
    }

    /// A case that samples two earlier cases and compares a latency statistic: it has no request of its own.
    private func readComparisonCase(_ object: ObjectReader, name: String?, context: String) -> TestCase? {
        let tags = readTags(object)
        for key in ["request", "expect", "warn", "capture", "report", "repeat", "concurrency", "repeat_safe"]
        where object.has(key) {
            sink.error(
                "a comparison case takes no '\(key)': it samples the cases it compares", at: object.node(key)?.location)
        }
        guard let compare = object.object("compare", allowed: Keys.comparison, context: "compare of \(context)") else {
            return nil
        }
        let faster = compare.string("faster", required: true, nonEmpty: true)
        let slower = compare.string("slower", required: true, nonEmpty: true)
        for (key, caseName) in [("faster", faster), ("slower", slower)] {
            guard let caseName else { continue }
            let location = compare.node(key)?.location
            guard let compared = readCases.first(where: { $0.name == caseName }) else {
                let hint = Suggestion.hint(for: caseName, in: readCases.map(\.name))
                sink.error("'\(key)' names no earlier case '\(caseName)'\(hint)", at: location)
                continue
            }
            guard compared.request != nil else {
                sink.error(
                    "'\(key)' names the comparison case '\(caseName)'; compare cases that send requests", at: location)
                continue
            }
            let secrets = compared.secretReferences(in: readSuiteSoFar)
            if !compared.repeatSafe, !secrets.isEmpty {
                sink.error(
                    "case '\(caseName)' sends the secret \(secrets.map { "${\($0)}" }.joined(separator: ", ")) and is not declared \"repeat_safe\"; sampling it could consume a single-use credential",
                    at: location)
            }
        }
        if let faster, faster == slower { sink.error("'faster' and 'slower' name the same case", at: compare.location) }
        var statistic = LatencyStatistic.p50
        if let text = compare.string("statistic") {
            if let named = LatencyStatistic(rawValue: text) {
                statistic = named
            } else {
                let names = LatencyStatistic.allCases.map(\.rawValue)
                sink.error(
                    "unknown statistic '\(text)' (one of \(names.joined(separator: ", ")))",
                    at: compare.node("statistic")?.location)
            }
        }
        let samples = compare.integer("samples") ?? 20
        if let range = ConformLimits.range(samples, from: 5, atMost: 10_000) {
            sink.error("'samples' \(range)", at: compare.node("samples")?.location)
        }
        var severity = Finding.Severity.failure
        if let onMiss = compare.string("on_miss") {
            switch onMiss {
            case "fail": severity = .failure
            case "warn": severity = .warning
            default:
                sink.error(
                    "'on_miss' is \"fail\" or \"warn\", got \(JSONValue.quoted(onMiss))",
                    at: compare.node("on_miss")?.location)
            }
        }
        guard let name, let faster, let slower else { return nil }
        let comparison = LatencyComparison(
            faster: faster, slower: slower, statistic: statistic, samples: samples, severity: severity)
        return TestCase(
            name: name, description: object.string("description"), location: object.location,
            action: .compare(comparison),
            expect: Expectations(), warn: nil, captures: [], observations: [], repeatCount: nil, concurrency: nil,
            repeatSafe: false, tags: tags)
    }

    /// One body is decoded per response: `expect` and `warn` must agree on its kind, and an XML body's
    /// fields are children of its root, named without dots or indexes.
    private func checkBodyKinds(
        expect: Expectations?, warn: Expectations?, captures: [Capture], observations: [Observation],
        at location: SourceLocation
    ) {
        let kinds = [expect?.body?.isXML, warn?.body?.isXML].compactMap { $0 }
        if Set(kinds).count > 1 {
            sink.error(
                "'expect' and 'warn' decode the body differently (one as JSON, one as XML); use one kind",
                at: location)
        }
        guard kinds.first == true else { return }
        var paths = (expect?.fields ?? []).map(\.path) + (warn?.fields ?? []).map(\.path) + observations.map(\.field)
        for capture in captures {
            if case .field(let path) = capture.source { paths.append(path) }
        }
        for path in paths where path.components.count != 1 {
            sink.error(
                "'\(path)' cannot name a field of an XML body: use the name of a child of the root element",
                at: location)
        }
    }

    private func readRequest(_ object: ObjectReader) -> RequestTemplate? {
        var method = object.string("method", required: true)
        if let given = method, !Keys.methods.contains(given) {
            sink.error(
                "unknown method '\(given)' (one of \(Keys.methods.joined(separator: ", ")))",
                at: object.node("method")?.location)
            method = nil
        }
        var path: Template?
        if let node = object.node("path", required: true) {
            path = readTemplate(node, key: "path", scope: .testCase)
            // A path may start with a variable (`${token_path}`); its value is checked before sending.
            if let source = path?.source, !source.hasPrefix("/"), !source.hasPrefix("${") {
                sink.error("'path' must start with '/', got \(JSONValue.quoted(source))", at: node.location)
                path = nil
            }
        }
        let query = object.node("query").map { readNamedTemplates($0, context: "'query'", isHeader: false) } ?? []
        var headers = object.node("headers").map { readNamedTemplates($0, context: "'headers'", isHeader: true) } ?? []
        for header in defaultHeaders
        where !headers.contains(where: { $0.name.lowercased() == header.name.lowercased() }) {
            headers.append(header)
        }
        let bodyKeys = ["json", "form", "body"].filter(object.has)
        if bodyKeys.count > 1 {
            sink.error(
                "a request has at most one body; found \(bodyKeys.map { "'\($0)'" }.joined(separator: " and "))",
                at: object.node(bodyKeys[1])?.location)
        }
        var body: RequestBodyTemplate?
        if let json = object.node("json") {
            body = readJSONTemplate(json).map { .json($0) }
        } else if let form = object.node("form") {
            body = .form(readNamedTemplates(form, context: "'form'", isHeader: false))
        } else if let text = object.node("body") {
            body = readTemplate(text, key: "body", scope: .testCase).map { .text($0) }
        }
        let clientAuth = object.object("client_auth", allowed: Keys.clientAuth, context: "'client_auth'").flatMap {
            readClientAuth($0, body: body)
        }
        guard let method, let path else { return nil }
        return RequestTemplate(
            method: method, path: path, query: query, headers: headers, body: body, clientAuth: clientAuth)
    }

    private func readJSONTemplate(_ node: JSONNode) -> JSONTemplate? {
        switch node.value {
        case .object(let members):
            var result: [(key: String, value: JSONTemplate)] = []
            for member in members {
                guard let value = readJSONTemplate(member.value) else { return nil }
                result.append((member.key, value))
            }
            return .object(result)
        case .array(let items):
            let values = items.compactMap(readJSONTemplate)
            return values.count == items.count ? .array(values) : nil
        case .string(let text):
            guard let template = parseTemplate(text, at: node.location, scope: .testCase) else { return nil }
            return template.isLiteral
                ? .literal(.string(text.replacingOccurrences(of: "$${", with: "${"))) : .string(template)
        default:
            return .literal(node.jsonValue)
        }
    }

    private func readCaptures(_ node: JSONNode, context: String) -> [Capture] {
        guard let entries = ObjectReader.entries(node, context: "'capture' of \(context)", sink: sink) else {
            return []
        }
        return entries.compactMap { entry in
            guard Template.isName(entry.key) else {
                sink.error("capture name '\(entry.key)' must be letters, digits and '_'", at: entry.keyLocation)
                return nil
            }
            if variableNames.contains(entry.key) {
                sink.error(
                    "capture '\(entry.key)' has the name of a variable; choose another name", at: entry.keyLocation)
                return nil
            }
            if let owner = captures[entry.key] {
                sink.error("capture '\(entry.key)' is already captured by case '\(owner)'", at: entry.keyLocation)
                return nil
            }
            let captureContext = "capture '\(entry.key)'"
            guard let object = ObjectReader(entry.value, context: captureContext, allowed: Keys.capture, sink: sink)
            else {
                return nil
            }
            let secret = object.bool("secret") ?? false
            let optional = object.bool("optional") ?? false
            if object.has("field") && object.has("header") {
                sink.error("\(captureContext) takes either 'field' or 'header', not both", at: object.location)
                return nil
            }
            let contains = object.string("contains")
            if contains != nil, !object.has("field") {
                sink.error("\(captureContext): 'contains' needs a 'field' that is an array", at: object.location)
                return nil
            }
            if let fieldText = object.string("field") {
                guard let path = FieldPath(fieldText) else {
                    sink.error("'\(fieldText)' is not a field path", at: object.node("field")?.location)
                    return nil
                }
                return Capture(
                    name: entry.key, source: .field(path), secret: secret, optional: optional, contains: contains,
                    location: entry.keyLocation)
            }
            if let header = object.string("header") {
                return Capture(
                    name: entry.key, source: .header(header), secret: secret, optional: optional,
                    location: entry.keyLocation)
            }
            if !object.has("field") && !object.has("header") {
                sink.error("\(captureContext) needs a 'field' or a 'header'", at: object.location)
            }
            return nil
        }
    }

    private func readObservations(_ nodes: [JSONNode], context: String) -> [Observation] {
        nodes.compactMap { node in
            guard
                let object = ObjectReader(
                    node, context: "'report' entry of \(context)", allowed: Keys.observation, sink: sink)
            else { return nil }
            let field = object.string("field", required: true)
            let path = field.flatMap(FieldPath.init)
            if let field, path == nil {
                sink.error("'\(field)' is not a field path", at: object.node("field")?.location)
            }
            let compareTo = object.node("compare_to", required: true).flatMap {
                readTemplate($0, key: "compare_to", scope: .testCase)
            }
            guard let path, let compareTo else { return nil }
            return Observation(field: path, compareTo: compareTo)
        }
    }
}
