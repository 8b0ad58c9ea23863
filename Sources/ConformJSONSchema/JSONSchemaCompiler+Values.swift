import ConformJSON
import ConformRegex
import ConformSupport

/// Typed readers for keyword values: each returns nil after a located diagnostic when the value is wrong.
extension JSONSchemaCompiler {
    func number(_ node: JSONNode, _ key: String) -> Double? {
        guard case .number(let value) = node.value else {
            error("\(Self.quote(key)) must be a number, got \(node.typeDescription)", at: node.location)
            return nil
        }
        return value
    }

    /// A count such as `minLength`; `2.0` is an integer (JSON Schema compares numbers by value).
    func nonNegativeInteger(_ node: JSONNode, _ key: String) -> Int? {
        guard case .number(let value) = node.value else {
            error("\(Self.quote(key)) must be a non-negative integer, got \(node.typeDescription)", at: node.location)
            return nil
        }
        guard value >= 0, value.rounded() == value else {
            error(
                "\(Self.quote(key)) must be a non-negative integer, got \(JSONValue.format(value))", at: node.location)
            return nil
        }
        return value >= Double(Int.max) ? Int.max : Int(value)
    }

    func boolean(_ node: JSONNode, _ key: String) -> Bool? {
        guard case .bool(let value) = node.value else {
            error("\(Self.quote(key)) must be a boolean, got \(node.typeDescription)", at: node.location)
            return nil
        }
        return value
    }

    /// `required`, or a list of `dependentRequired`: unique strings. `what` names it in a diagnostic.
    func strings(_ node: JSONNode, _ what: String) -> [String]? {
        guard case .array(let items) = node.value else {
            error("\(what) must be an array of strings, got \(node.typeDescription)", at: node.location)
            return nil
        }
        var result: [String] = []
        var seen = Set<String>()
        var isValid = true
        for item in items {
            guard case .string(let text) = item.value else {
                error("each item of \(what) must be a string, got \(item.typeDescription)", at: item.location)
                isValid = false
                continue
            }
            if !seen.insert(text).inserted {
                error("\(what) lists \(JSONValue.quoted(text)) twice", at: item.location)
                isValid = false
            }
            result.append(text)
        }
        return isValid ? result : nil
    }

    func types(_ node: JSONNode) -> [JSONSchemaType]? {
        let names: [JSONNode]
        switch node.value {
        case .string: names = [node]
        case .array(let items) where !items.isEmpty: names = items
        default:
            error(
                "\"type\" must be a type name or a non-empty array of them, got \(node.typeDescription)",
                at: node.location)
            return nil
        }
        var result: [JSONSchemaType] = []
        for name in names {
            guard case .string(let text) = name.value, let type = JSONSchemaType(rawValue: text) else {
                let seen = name.jsonValue.scalarText.map { JSONValue.quoted($0) } ?? name.typeDescription
                error(
                    "unknown type \(seen) in \"type\" (expected "
                        + JSONSchemaType.allCases.map(\.rawValue).joined(separator: ", ") + ")",
                    at: name.location)
                return nil
            }
            guard !result.contains(type) else {
                error("\"type\" lists \"\(text)\" twice", at: name.location)
                return nil
            }
            result.append(type)
        }
        return result
    }

    func format(_ node: JSONNode) -> JSONSchemaFormat? {
        guard case .string(let name) = node.value else {
            error("\"format\" must be a string, got \(node.typeDescription)", at: node.location)
            return nil
        }
        guard let format = JSONSchemaFormat(rawValue: name) else {
            error(
                "unsupported format \(JSONValue.quoted(name)) (conform checks "
                    + JSONSchemaFormat.allCases.map(\.rawValue).joined(separator: ", ")
                    + "; see \(JSONSchemaVocabulary.documentation))",
                at: node.location)
            return nil
        }
        return format
    }

    func regex(_ pattern: String, of what: String, at location: SourceLocation) -> LinearRegex? {
        do {
            return try LinearRegex(pattern)
        } catch {
            self.error("cannot use \(what) \(SchemaText.pattern(pattern)): \(error)", at: location)
            return nil
        }
    }

    // MARK: - Subschemas

    /// A subschema; `what` names it in a diagnostic (`"items"`, `"properties" member "a"`).
    mutating func subschema(_ node: JSONNode, _ what: String, path: [String]) -> SchemaIndex? {
        switch node.value {
        case .object, .bool:
            return compileSchema(node, tokens: path)
        case .array where what == "\"items\"":
            error(
                "\"items\" must be a schema (an object or a boolean), got an array; in draft 2020-12 a schema per "
                    + "position is \"prefixItems\"",
                at: node.location)
        default:
            error("\(what) must be a schema (an object or a boolean), got \(node.typeDescription)", at: node.location)
        }
        return nil
    }

    /// `allOf`, `anyOf`, `oneOf`, `prefixItems`: a non-empty array of schemas.
    mutating func schemaList(_ node: JSONNode, _ key: String, path: [String]) -> [SchemaIndex]? {
        guard case .array(let items) = node.value, !items.isEmpty else {
            let seen = node.jsonValue == .array([]) ? "an empty array" : node.typeDescription
            error("\(Self.quote(key)) must be a non-empty array of schemas, got \(seen)", at: node.location)
            return nil
        }
        var result: [SchemaIndex] = []
        for (offset, item) in items.enumerated() {
            guard let index = subschema(item, "item \(offset) of \(Self.quote(key))", path: path + [String(offset)])
            else { continue }
            result.append(index)
        }
        return result.count == items.count ? result : nil
    }

    /// `properties`, `$defs`, `dependentSchemas`: an object whose values are schemas.
    mutating func schemaMap(_ node: JSONNode, _ key: String, path: [String]) -> [NamedSchema]? {
        guard let members = uniqueMembers(node, key, expecting: "an object whose values are schemas") else {
            return nil
        }
        var result: [NamedSchema] = []
        for member in members {
            let what = "\(Self.quote(key)) member \(JSONValue.quoted(member.key))"
            guard let index = subschema(member.value, what, path: path + [member.key]) else { continue }
            result.append(NamedSchema(name: member.key, schema: index))
        }
        return result.count == members.count ? result : nil
    }

    mutating func patternSchemas(_ node: JSONNode, path: [String]) -> [PatternSchema]? {
        let key = "patternProperties"
        guard let members = uniqueMembers(node, key, expecting: "an object whose values are schemas") else {
            return nil
        }
        var result: [PatternSchema] = []
        for member in members {
            let regex = regex(member.key, of: "the \"patternProperties\" pattern", at: member.keyLocation)
            let what = "\"patternProperties\" member \(JSONValue.quoted(member.key))"
            guard let index = subschema(member.value, what, path: path + [member.key]), let regex else { continue }
            result.append(PatternSchema(regex: regex, schema: index))
        }
        return result.count == members.count ? result : nil
    }

    func dependentRequirements(_ node: JSONNode) -> [DependentRequirement]? {
        let key = "dependentRequired"
        guard let members = uniqueMembers(node, key, expecting: "an object whose values are arrays of strings") else {
            return nil
        }
        var result: [DependentRequirement] = []
        for member in members {
            let what = "\(Self.quote(key)) member \(JSONValue.quoted(member.key))"
            guard let required = strings(member.value, what) else { continue }
            result.append(DependentRequirement(name: member.key, required: required))
        }
        return result.count == members.count ? result : nil
    }

    /// The members of an object-valued keyword, each key once.
    private func uniqueMembers(_ node: JSONNode, _ key: String, expecting: String) -> [JSONNode.Member]? {
        guard case .object(let members) = node.value else {
            error("\(Self.quote(key)) must be \(expecting), got \(node.typeDescription)", at: node.location)
            return nil
        }
        var seen = Set<String>()
        var isValid = true
        for member in members where !seen.insert(member.key).inserted {
            error("\(Self.quote(key)) has \(JSONValue.quoted(member.key)) twice", at: member.keyLocation)
            isValid = false
        }
        return isValid ? members : nil
    }
}
