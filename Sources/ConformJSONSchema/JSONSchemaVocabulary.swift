import ConformSupport

/// The keywords conform knows, in one place: those it evaluates, the annotations it accepts and ignores,
/// and those it refuses with a reason.
///
/// JSON Schema 2020-12 says an implementation ignores keywords it does not know. conform promises the
/// opposite, that a schema never passes because part of it was silently skipped, so every key of a schema
/// object must be listed here; anything else is refused when the schema is compiled. Keys that begin with
/// `x-` are the one exception: they are extension annotations by convention (OpenAPI), never keywords.
enum JSONSchemaVocabulary {
    /// The only meta-schema conform accepts in `$schema`.
    static let draft202012 = "https://json-schema.org/draft/2020-12/schema"

    /// Where the keyword lists and the reasons for refusals are explained.
    static let documentation = "docs/json-schema.md"

    /// Keywords that take part in validation.
    static let evaluated: [String] = [
        "$ref", "$defs", "definitions",
        "type", "enum", "const",
        "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum", "multipleOf",
        "minLength", "maxLength", "pattern", "format",
        "prefixItems", "items", "contains", "minContains", "maxContains", "minItems", "maxItems", "uniqueItems",
        "required", "properties", "patternProperties", "additionalProperties", "propertyNames",
        "minProperties", "maxProperties", "dependentRequired", "dependentSchemas",
        "allOf", "anyOf", "oneOf", "not", "if", "then", "else",
    ]

    /// Annotations that are accepted (their value's JSON type is still checked) and otherwise ignored.
    static let annotations: [String] = [
        "$schema", "$comment", "title", "description", "default", "examples", "deprecated", "readOnly",
        "writeOnly", "contentMediaType", "contentEncoding", "contentSchema",
    ]

    /// Keywords of JSON Schema (2020-12 or earlier drafts) that conform refuses, and why.
    static let refused: [String: String] = [
        "$id": "schema identifiers are not supported; conform resolves \"$ref\" only within the same document, "
            + "by JSON pointer (\"#/$defs/name\")",
        "$anchor": "anchors are not supported; refer to the schema by JSON pointer (\"#/$defs/name\")",
        "$dynamicRef": "dynamic references are not supported",
        "$dynamicAnchor": "dynamic references are not supported",
        "$recursiveRef": "recursive references (draft 2019-09) are not supported",
        "$recursiveAnchor": "recursive references (draft 2019-09) are not supported",
        "$vocabulary": "custom vocabularies and meta-schemas are not supported",
        "unevaluatedProperties": "it depends on the annotations of every other keyword, which conform does not "
            + "collect; use \"additionalProperties\"",
        "unevaluatedItems": "it depends on the annotations of every other keyword, which conform does not "
            + "collect; use \"items\" after \"prefixItems\"",
        "dependencies": "it is draft 7's; draft 2020-12 splits it into \"dependentRequired\" and "
            + "\"dependentSchemas\"",
        "additionalItems": "it is draft 2019-09's; in draft 2020-12 use \"items\" after \"prefixItems\"",
    ]

    /// Refused keywords that give a schema a name other than its JSON pointer.
    static let identifierKeywords: Set<String> = [
        "$id", "$anchor", "$dynamicAnchor", "$dynamicRef", "$recursiveAnchor", "$recursiveRef",
    ]

    /// Every key that may appear in a schema object.
    static let known: Set<String> = Set(evaluated + annotations)

    static func refusal(of keyword: String) -> String {
        if let reason = refused[keyword] {
            return "unsupported JSON Schema keyword \"\(keyword)\": \(reason) (see \(documentation))"
        }
        let hint =
            Suggestion.closest(to: keyword, in: evaluated + annotations).map { "; did you mean \"\($0)\"?" } ?? ""
        return "unknown JSON Schema keyword \"\(keyword)\"\(hint) (conform refuses keywords it does not evaluate; "
            + "see \(documentation))"
    }

    static func isExtension(_ key: String) -> Bool { key.hasPrefix("x-") }
}
