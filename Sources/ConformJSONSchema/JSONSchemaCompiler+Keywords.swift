import ConformJSON
import ConformSupport

/// Reading each keyword of a schema object: its value checked, located and compiled.
extension JSONSchemaCompiler {
    mutating func readKeywords(_ members: [JSONNode.Member], of schema: SchemaIndex, tokens: [String]) -> SchemaKeywords
    {
        var keywords = SchemaKeywords()
        var seen = Set<String>()
        for member in members {
            let key = member.key
            let node = member.value
            let at = member.keyLocation
            guard seen.insert(key).inserted else {
                error("duplicate keyword \(JSONValue.quoted(key)) in a schema", at: at)
                continue
            }
            let path = tokens + [key]
            if let keyPath = Self.integerKeyword(key) {
                keywords[keyPath: keyPath] = nonNegativeInteger(node, key).map { Located(value: $0, location: at) }
                continue
            }
            if let keyPath = Self.numberKeyword(key) {
                keywords[keyPath: keyPath] = number(node, key).map { Located(value: $0, location: at) }
                continue
            }
            if let keyPath = Self.singleSchemaKeyword(key) {
                keywords[keyPath: keyPath] = subschema(node, Self.quote(key), path: path).map {
                    Located(value: $0, location: at)
                }
                continue
            }
            if let keyPath = Self.schemaListKeyword(key) {
                keywords[keyPath: keyPath] = schemaList(node, key, path: path).map { Located(value: $0, location: at) }
                continue
            }
            switch key {
            case "$ref":
                keywords.ref = readReference(node, of: schema, keyLocation: at)
            case "$defs", "definitions":
                _ = schemaMap(node, key, path: path)
            case "type":
                keywords.types = types(node).map { Located(value: $0, location: at) }
            case "enum":
                guard case .array(let items) = node.value else {
                    error("\"enum\" must be an array, got \(node.typeDescription)", at: node.location)
                    continue
                }
                keywords.enumValues = Located(value: items.map(\.jsonValue), location: at)
            case "const":
                keywords.const = Located(value: node.jsonValue, location: at)
            case "multipleOf":
                guard let divisor = number(node, key) else { continue }
                guard divisor > 0 else {
                    error("\"multipleOf\" must be greater than 0, got \(JSONValue.format(divisor))", at: node.location)
                    continue
                }
                keywords.multipleOf = Located(value: divisor, location: at)
            case "pattern":
                guard case .string(let text) = node.value else {
                    error("\"pattern\" must be a string, got \(node.typeDescription)", at: node.location)
                    continue
                }
                keywords.pattern = regex(text, of: "\"pattern\"", at: node.location).map {
                    Located(value: $0, location: at)
                }
            case "format":
                keywords.format = format(node).map { Located(value: $0, location: at) }
            case "uniqueItems":
                keywords.uniqueItems = boolean(node, key).map { Located(value: $0, location: at) }
            case "required":
                keywords.required = strings(node, Self.quote(key)).map { Located(value: $0, location: at) }
            case "properties":
                keywords.properties = schemaMap(node, key, path: path).map { Located(value: $0, location: at) }
            case "patternProperties":
                keywords.patternProperties = patternSchemas(node, path: path).map { Located(value: $0, location: at) }
            case "dependentRequired":
                keywords.dependentRequired = dependentRequirements(node).map { Located(value: $0, location: at) }
            case "dependentSchemas":
                keywords.dependentSchemas = schemaMap(node, key, path: path).map { Located(value: $0, location: at) }
            default:
                if JSONSchemaVocabulary.identifierKeywords.contains(key) { usesIdentifiers = true }
                readAnnotation(key, node, at: at, isRoot: tokens.isEmpty)
            }
        }
        return keywords
    }

    /// Annotations are accepted and ignored once their value has the right JSON type; anything else is
    /// refused, unless it is an `x-` extension.
    private func readAnnotation(_ key: String, _ node: JSONNode, at: SourceLocation, isRoot: Bool) {
        switch key {
        case "$schema":
            guard isRoot else {
                error("\"$schema\" is allowed only at the root of the schema document", at: at)
                return
            }
            guard case .string(let uri) = node.value,
                uri == JSONSchemaVocabulary.draft202012 || uri == JSONSchemaVocabulary.draft202012 + "#"
            else {
                let seen = node.jsonValue.scalarText.map { JSONValue.quoted($0) } ?? node.typeDescription
                error(
                    "\"$schema\" must be \"\(JSONSchemaVocabulary.draft202012)\": conform validates JSON Schema "
                        + "draft 2020-12 only, got \(seen)",
                    at: node.location)
                return
            }
        case "$comment", "title", "description", "contentMediaType", "contentEncoding":
            if case .string = node.value { return }
            error("\(Self.quote(key)) must be a string, got \(node.typeDescription)", at: node.location)
        case "deprecated", "readOnly", "writeOnly":
            _ = boolean(node, key)
        case "default":
            return
        case "examples":
            if case .array = node.value { return }
            error("\"examples\" must be an array, got \(node.typeDescription)", at: node.location)
        case "contentSchema":
            switch node.value {
            case .object, .bool: return
            default:
                error(
                    "\"contentSchema\" must be a schema (an object or a boolean), got \(node.typeDescription)",
                    at: node.location)
            }
        default:
            if JSONSchemaVocabulary.isExtension(key) { return }
            error(JSONSchemaVocabulary.refusal(of: key), at: at)
        }
    }

    // MARK: - Keyword groups

    private static func integerKeyword(_ key: String) -> WritableKeyPath<SchemaKeywords, Located<Int>?>? {
        switch key {
        case "minLength": \.minLength
        case "maxLength": \.maxLength
        case "minItems": \.minItems
        case "maxItems": \.maxItems
        case "minContains": \.minContains
        case "maxContains": \.maxContains
        case "minProperties": \.minProperties
        case "maxProperties": \.maxProperties
        default: nil
        }
    }

    private static func numberKeyword(_ key: String) -> WritableKeyPath<SchemaKeywords, Located<Double>?>? {
        switch key {
        case "minimum": \.minimum
        case "exclusiveMinimum": \.exclusiveMinimum
        case "maximum": \.maximum
        case "exclusiveMaximum": \.exclusiveMaximum
        default: nil
        }
    }

    private static func singleSchemaKeyword(_ key: String) -> WritableKeyPath<SchemaKeywords, Located<SchemaIndex>?>? {
        switch key {
        case "items": \.items
        case "contains": \.contains
        case "additionalProperties": \.additionalProperties
        case "propertyNames": \.propertyNames
        case "not": \.not
        case "if": \.ifSchema
        case "then": \.thenSchema
        case "else": \.elseSchema
        default: nil
        }
    }

    private static func schemaListKeyword(_ key: String) -> WritableKeyPath<SchemaKeywords, Located<[SchemaIndex]>?>? {
        switch key {
        case "prefixItems": \.prefixItems
        case "allOf": \.allOf
        case "anyOf": \.anyOf
        case "oneOf": \.oneOf
        default: nil
        }
    }

    static func quote(_ key: String) -> String { JSONValue.quoted(key) }
}
