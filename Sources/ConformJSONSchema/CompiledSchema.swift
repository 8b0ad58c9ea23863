import ConformJSON
import ConformRegex
import ConformSupport

/// A schema object or boolean schema after compilation: its keywords read, checked and located, its
/// subschemas and `$ref`s replaced by indexes into ``JSONSchema``'s table of schemas.
///
/// A `$ref` is an index like any other subschema, so a recursive schema is a cycle of indexes rather than
/// an infinite tree; the compiler refuses cycles that never move into the instance. A class, so that the
/// validator's recursion passes a reference rather than copies of dozens of keywords.
final class CompiledSchema: Sendable {
    /// Where the schema starts in its file.
    let location: SourceLocation
    /// Its JSON pointer in the document (`/properties/a`), for messages.
    let pointer: String
    /// `true` or `false` for a boolean schema; nil for a schema object.
    let boolean: Bool?
    let keywords: SchemaKeywords

    init(location: SourceLocation, pointer: String, boolean: Bool?, keywords: SchemaKeywords) {
        self.location = location
        self.pointer = pointer
        self.boolean = boolean
        self.keywords = keywords
    }
}

/// An index into ``JSONSchema``'s table of compiled schemas.
typealias SchemaIndex = Int

/// A keyword's value with the location of the keyword (its key) in the schema file.
struct Located<Value: Sendable>: Sendable {
    var value: Value
    var location: SourceLocation
}

/// A subschema that applies to a named property (`properties`, `dependentSchemas`).
struct NamedSchema: Sendable {
    var name: String
    var schema: SchemaIndex
}

/// A `patternProperties` entry.
struct PatternSchema: Sendable {
    var regex: LinearRegex
    var schema: SchemaIndex
}

/// A `dependentRequired` entry: when `name` is present, `required` must be too.
struct DependentRequirement: Sendable {
    var name: String
    var required: [String]
}

/// JSON Schema's instance types, as the `type` keyword names them.
enum JSONSchemaType: String, Sendable, CaseIterable {
    case null, boolean, object, array, number, string, integer
}

/// Every keyword conform evaluates; nil (or empty) when the schema does not use it.
struct SchemaKeywords: Sendable {
    // Core
    var ref: Located<SchemaIndex>?

    // Any instance
    var types: Located<[JSONSchemaType]>?
    var enumValues: Located<[JSONValue]>?
    var const: Located<JSONValue>?

    // Numbers
    var minimum: Located<Double>?
    var exclusiveMinimum: Located<Double>?
    var maximum: Located<Double>?
    var exclusiveMaximum: Located<Double>?
    var multipleOf: Located<Double>?

    // Strings
    var minLength: Located<Int>?
    var maxLength: Located<Int>?
    var pattern: Located<LinearRegex>?
    var format: Located<JSONSchemaFormat>?

    // Arrays
    var prefixItems: Located<[SchemaIndex]>?
    var items: Located<SchemaIndex>?
    var contains: Located<SchemaIndex>?
    var minContains: Located<Int>?
    var maxContains: Located<Int>?
    var minItems: Located<Int>?
    var maxItems: Located<Int>?
    var uniqueItems: Located<Bool>?

    // Objects
    var required: Located<[String]>?
    var properties: Located<[NamedSchema]>?
    var patternProperties: Located<[PatternSchema]>?
    var additionalProperties: Located<SchemaIndex>?
    var propertyNames: Located<SchemaIndex>?
    var minProperties: Located<Int>?
    var maxProperties: Located<Int>?
    var dependentRequired: Located<[DependentRequirement]>?
    var dependentSchemas: Located<[NamedSchema]>?

    // Applicators on the same instance
    var allOf: Located<[SchemaIndex]>?
    var anyOf: Located<[SchemaIndex]>?
    var oneOf: Located<[SchemaIndex]>?
    var not: Located<SchemaIndex>?
    var ifSchema: Located<SchemaIndex>?
    var thenSchema: Located<SchemaIndex>?
    var elseSchema: Located<SchemaIndex>?

    /// The subschemas applied to the same instance (not to a child of it): the edges along which a `$ref`
    /// cycle would never end.
    var inPlaceSubschemas: [SchemaIndex] {
        var result: [SchemaIndex] = []
        if let ref { result.append(ref.value) }
        for list in [allOf, anyOf, oneOf] { result += list?.value ?? [] }
        for single in [not, ifSchema, thenSchema, elseSchema] {
            if let single { result.append(single.value) }
        }
        result += (dependentSchemas?.value ?? []).map(\.schema)
        return result
    }
}
