import ConformJSON
import ConformRegex
import ConformSupport
import Foundation

extension SuiteFileReader.Keys {
    static let expectations = [
        "use", "status", "content_type", "body", "fields", "headers", "latency_budget_ms", "latency", "reason",
        "jwks", "oidc_metadata",
    ]
    static let latency = LatencyStatistic.allCases.map(\.key)
    static let warnings = expectations + ["note_if_held", "note_if_missed"]
    /// `skip_if`: what a response shows when the case cannot judge the endpoint, and why.
    static let skipIf = ["use", "status", "content_type", "fields", "headers", "reason"]
    static let body = ["model", "xml_schema", "json_schema", "error_root", "error_message"]
    static let date = ["format", "time_zone", "in_future"]
    static let namedRules = ["non_empty", "jwt", "absent", "integer"]
    static let valueRules = [
        "equals", "equals_ignoring_case", "greater_than", "at_least", "less_than", "at_most", "matches", "one_of",
        "date", "differs_from", "if_present", "jwt", "contains", "scope_subset_of", "scope_equals",
    ]
    /// Every rule name once, for messages (`jwt` is both a named rule and a rule with a value).
    static let allRules = namedRules + valueRules.filter { !namedRules.contains($0) }
    static let headerRules = ["contains", "absent", "scheme", "matches"]
}

extension SuiteFileReader {
    func readExpectations(_ object: ObjectReader, isWarning: Bool) -> Expectations? {
        var expectations = Expectations()
        if let node = object.node("status", required: !isWarning) {
            expectations.status = readStatus(node)
        }
        if let node = object.node("content_type") {
            expectations.contentTypes = readContentTypes(node)
        }
        if let body = object.object("body", allowed: Keys.body, context: "'body' of \(object.context)") {
            expectations.body = readBody(body)
        }
        if let fields = object.node("fields") {
            expectations.fields = readFields(fields)
        }
        if let headers = object.node("headers"),
            let entries = ObjectReader.entries(headers, context: "'headers'", sink: sink)
        {
            expectations.headers = entries.compactMap { entry in
                readHeaderRule(entry.value, header: entry.key).map { HeaderExpectation(name: entry.key, rule: $0) }
            }
        }
        if let node = object.node("latency_budget_ms") {
            expectations.latencyBudget = readLatencyBudget(node)
        }
        if let latency = object.object("latency", allowed: Keys.latency, context: "'latency' of \(object.context)") {
            for key in latency.orderedKeys {
                guard let node = latency.node(key),
                    let statistic = LatencyStatistic.allCases.first(where: { $0.key == key })
                else { continue }
                guard case .number(let milliseconds) = node.value, milliseconds > 0 else {
                    sink.error(
                        "'\(key)' must be a number of milliseconds above 0, got \(node.typeDescription)",
                        at: node.location)
                    continue
                }
                expectations.latencyObjectives.append((statistic, milliseconds))
            }
        }
        if let node = object.node("jwks") { expectations.keySet = readKeySet(node) }
        if let node = object.node("oidc_metadata") { expectations.providerMetadata = readProviderMetadata(node) }
        expectations.reason = object.string("reason", nonEmpty: true)
        if isWarning {
            expectations.noteIfHeld = object.string("note_if_held", nonEmpty: true)
            expectations.noteIfMissed = object.string("note_if_missed", nonEmpty: true)
        }
        return expectations
    }

    private func readStatus(_ node: JSONNode) -> [StatusPattern] {
        let items: [JSONNode]
        if case .array(let array) = node.value {
            items = array
            if array.isEmpty { sink.error("'status' must allow at least one status", at: node.location) }
        } else {
            items = [node]
        }
        return items.compactMap { item in
            switch item.value {
            case .number(let code) where code.rounded() == code && (100...599).contains(code):
                return .exact(Int(code))
            case .string(let text) where text.count == 3 && text.lowercased().hasSuffix("xx"):
                if let digit = Int(text.prefix(1)), (1...5).contains(digit) { return .family(digit) }
            default:
                break
            }
            sink.error(
                "'status' must be a status code (100-599), a class such as \"4xx\", or an array of them; got \(describe(item))",
                at: item.location)
            return nil
        }
    }

    private func readContentTypes(_ node: JSONNode) -> [String] {
        let items: [JSONNode]
        if case .array(let array) = node.value { items = array } else { items = [node] }
        return items.compactMap { item in
            guard case .string(let text) = item.value else {
                sink.error(
                    "'content_type' must be a media type such as \"application/json\" or an array of them",
                    at: item.location)
                return nil
            }
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ HTTPHeaderName.isValid(String($0)) }) else {
                sink.error(
                    "'\(text)' is not a media type such as \"application/json\" (parameters are not compared)",
                    at: item.location)
                return nil
            }
            return text.lowercased()
        }
    }

    private func readBody(_ object: ObjectReader) -> BodyExpectation? {
        let kinds = ["model", "xml_schema", "json_schema"].filter(object.has)
        guard kinds.count == 1 else {
            if kinds.isEmpty {
                sink.error(
                    "'body' needs a 'model' (a shape conform knows), an 'xml_schema' (XSD) or a 'json_schema'",
                    at: object.location)
            } else {
                sink.error(
                    "'body' takes one of 'model', 'xml_schema' and 'json_schema', not \(kinds.map { "'\($0)'" }.joined(separator: " and "))",
                    at: object.location)
            }
            return nil
        }
        if kinds[0] != "xml_schema" {
            for key in ["error_root", "error_message"] where object.has(key) {
                sink.error("'\(key)' applies to 'xml_schema' bodies only", at: object.node(key)?.location)
            }
        }
        switch kinds[0] {
        case "model":
            guard let name = object.string("model") else { return nil }
            return .model(name: name, location: object.node("model")?.location ?? object.location)
        case "json_schema":
            guard let node = object.node("json_schema") else { return nil }
            switch node.value {
            case .string(let path):
                return .jsonSchema(
                    .file(path: path, url: URL(fileURLWithPath: path, relativeTo: directory).standardizedFileURL),
                    location: node.location)
            case .object, .bool:
                return .jsonSchema(.inline(node), location: node.location)
            default:
                sink.error(
                    "'json_schema' is the path of a schema file or the schema itself, got \(node.typeDescription)",
                    at: node.location)
                return nil
            }
        default:
            guard let path = object.string("xml_schema") else { return nil }
            let errorRoot = object.string("error_root", nonEmpty: true)
            let errorMessage = object.string("error_message", nonEmpty: true)
            if errorMessage != nil && errorRoot == nil {
                sink.error("'error_message' needs 'error_root'", at: object.node("error_message")?.location)
            }
            return .xml(
                XMLBodyExpectation(
                    path: path, url: URL(fileURLWithPath: path, relativeTo: directory).standardizedFileURL,
                    location: object.node("xml_schema")?.location ?? object.location, errorRoot: errorRoot,
                    errorMessageElement: errorMessage))
        }
    }

    /// `"no-store"` (a token the header holds), or one of `{"contains": "no-store"}`, `{"absent": true}`,
    /// `{"scheme": "Basic"}`, `{"matches": "^max-age=\\d+$"}`.
    private func readHeaderRule(_ node: JSONNode, header: String) -> HeaderRule? {
        func nonEmpty(_ value: JSONNode, _ what: String) -> String? {
            if case .string(let text) = value.value, !text.isEmpty {
                warnIfReference(text, at: value.location, in: "the expectation of header '\(header)'")
                return text
            }
            sink.error("'\(header)': \(what)", at: value.location)
            return nil
        }
        switch node.value {
        case .string:
            return nonEmpty(node, "a header expectation names a non-empty token such as \"no-store\"").map {
                .containsToken($0)
            }
        case .object(let members) where members.count == 1:
            let member = members[0]
            switch member.key {
            case "contains":
                return nonEmpty(member.value, "'contains' takes a non-empty token such as \"no-store\"").map {
                    .containsToken($0)
                }
            case "absent":
                guard case .bool(true) = member.value.value else {
                    sink.error("'\(header)': 'absent' takes true", at: member.value.location)
                    return nil
                }
                return .absent
            case "scheme":
                return nonEmpty(member.value, "'scheme' takes an authentication scheme such as \"Basic\"").map {
                    .scheme($0)
                }
            case "matches":
                guard let pattern = nonEmpty(member.value, "'matches' takes a regular expression") else { return nil }
                do {
                    return .matches(try LinearRegex(pattern))
                } catch {
                    sink.error(
                        "'\(header)': \(JSONValue.quoted(pattern)) is not a usable regular expression: \(error)",
                        at: member.value.location)
                    return nil
                }
            default:
                let hint = Suggestion.hint(for: member.key, in: Keys.headerRules)
                sink.error(
                    "unknown header rule '\(member.key)' for '\(header)'\(hint) (rules: \(Keys.headerRules.joined(separator: ", ")))",
                    at: member.keyLocation)
                return nil
            }
        default:
            sink.error(
                "'\(header)' takes a token such as \"no-store\" or an object with one rule such as {\"absent\": true}",
                at: node.location)
            return nil
        }
    }

    private func readFields(_ node: JSONNode) -> [FieldExpectation] {
        guard let entries = ObjectReader.entries(node, context: "'fields'", sink: sink) else { return [] }
        return entries.compactMap { entry in
            guard let path = FieldPath(entry.key) else {
                sink.error(
                    "'\(entry.key)' is not a field path such as \"access_token\" or \"a.b[0]\"", at: entry.keyLocation)
                return nil
            }
            let ruleNodes: [JSONNode]
            if case .array(let items) = entry.value.value { ruleNodes = items } else { ruleNodes = [entry.value] }
            let rules = ruleNodes.map { readRules($0, field: entry.key) }
            guard rules.allSatisfy({ $0 != nil }) else { return nil }
            return FieldExpectation(path: path, rules: rules.compactMap { $0 }.flatMap { $0 }, location: entry.keyLocation)
        }
    }

    /// One entry of a field's rules: a named rule, a rule with its value, or `if_present` over several.
    private func readRules(_ node: JSONNode, field: String) -> [FieldRule]? {
        if case .object(let members) = node.value, members.count == 1, members[0].key == "if_present" {
            let value = members[0].value
            let items: [JSONNode]
            if case .array(let array) = value.value { items = array } else { items = [value] }
            guard !items.isEmpty else {
                sink.error("rule 'if_present' for field '\(field)' takes rules", at: value.location)
                return nil
            }
            let rules = items.map { readRule($0, field: field) }
            guard rules.allSatisfy({ $0 != nil }) else { return nil }
            if rules.contains(where: { if case .absent? = $0 { true } else { false } }) {
                sink.error("'absent' under 'if_present' for field '\(field)' can never hold", at: value.location)
                return nil
            }
            return rules.compactMap { $0 }.map { .ifPresent($0) }
        }
        return readRule(node, field: field).map { [$0] }
    }

    private func readRule(_ node: JSONNode, field: String) -> FieldRule? {
        let allRules = Keys.allRules
        switch node.value {
        case .string(let name):
            switch name {
            case "non_empty": return .nonEmpty
            case "jwt": return .jwt
            case "absent": return .absent
            case "integer": return .integer
            default:
                sink.error(
                    "unknown rule '\(name)' for field '\(field)'\(Suggestion.hint(for: name, in: allRules)) (rules: \(allRules.joined(separator: ", ")))",
                    at: node.location)
                return nil
            }
        case .object(let members) where members.count == 1:
            return readValueRule(members[0], field: field)
        default:
            sink.error(
                "a rule for field '\(field)' is a name such as \"non_empty\" or an object with one key such as {\"greater_than\": 0}; got \(node.typeDescription)",
                at: node.location)
            return nil
        }
    }

    private func readValueRule(_ member: JSONNode.Member, field: String) -> FieldRule? {
        let node = member.value
        func number() -> Double? {
            if case .number(let value) = node.value { return value }
            sink.error(
                "rule '\(member.key)' for field '\(field)' takes a number, got \(node.typeDescription)",
                at: node.location)
            return nil
        }
        func string() -> String? {
            if case .string(let value) = node.value {
                if member.key == "matches" {
                    warnIfReference(value, at: node.location, in: "rule 'matches' for field '\(field)'")
                }
                return value
            }
            sink.error(
                "rule '\(member.key)' for field '\(field)' takes a string, got \(node.typeDescription)",
                at: node.location)
            return nil
        }
        switch member.key {
        case "equals":
            if case .string(let text) = node.value {
                return parseTemplate(text, at: node.location, scope: .testCase).map { .equalsTemplate($0) }
            }
            return .equals(node.jsonValue)
        case "equals_ignoring_case":
            return string().flatMap { parseTemplate($0, at: node.location, scope: .testCase) }.map {
                .equalsIgnoringCase($0)
            }
        case "greater_than", "at_least", "less_than", "at_most", "contains", "scope_subset_of", "scope_equals":
            return readComparisonRule(member, field: field)
        case "matches":
            guard let pattern = string() else { return nil }
            do {
                return .matches(try LinearRegex(pattern))
            } catch {
                sink.error(
                    "rule 'matches' for field '\(field)': \(JSONValue.quoted(pattern)) is not a usable regular expression: \(error)",
                    at: node.location)
                return nil
            }
        case "jwt":
            return readJWT(node, field: field)
        case "differs_from":
            return string().flatMap { parseTemplate($0, at: node.location, scope: .testCase) }.map {
                .differsFrom($0)
            }
        case "if_present":
            sink.error("'if_present' for field '\(field)' is a rule of its own, not inside another", at: member.keyLocation)
            return nil
        case "one_of":
            guard case .array(let items) = node.value, !items.isEmpty else {
                sink.error("rule 'one_of' for field '\(field)' takes a non-empty array", at: node.location)
                return nil
            }
            for item in items {
                if case .string(let text) = item.value {
                    warnIfReference(text, at: item.location, in: "rule 'one_of' for field '\(field)'")
                }
            }
            return .oneOf(items.map(\.jsonValue))
        case "date":
            guard
                let object = ObjectReader(
                    node, context: "rule 'date' for field '\(field)'", allowed: Keys.date, sink: sink),
                let format = object.string("format", required: true, nonEmpty: true)
            else { return nil }
            let timeZone = object.string("time_zone") ?? "UTC"
            if TimeZone(identifier: timeZone) == nil {
                sink.error("unknown time zone '\(timeZone)'", at: object.node("time_zone")?.location)
                return nil
            }
            return .date(DateRule(format: format, timeZone: timeZone, inFuture: object.bool("in_future") ?? false))
        default:
            let allRules = Keys.allRules
            sink.error(
                "unknown rule '\(member.key)' for field '\(field)'\(Suggestion.hint(for: member.key, in: allRules)) (rules: \(allRules.joined(separator: ", ")))",
                at: member.keyLocation)
            return nil
        }
    }

    /// A `${…}` where the format takes a literal is compared as written, never resolved: almost always a
    /// mistake, so it is a warning (which changes no exit status).
    func warnIfReference(_ text: String, at location: SourceLocation, in position: String) {
        guard text.contains("${") else { return }
        sink.warning(Self.literalReference(position), at: location)
    }

    static func literalReference(_ position: String) -> String {
        "'${…}' in \(position) is compared as written, not resolved: only requests, 'equals', "
            + "'equals_ignoring_case', 'differs_from' and 'compare_to' take references"
    }

    private func describe(_ node: JSONNode) -> String {
        switch node.value {
        case .string(let text): "string \(JSONValue.quoted(text))"
        case .number(let number): "number \(JSONValue.format(number))"
        default: node.typeDescription
        }
    }
}
