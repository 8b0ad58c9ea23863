import ConformSupport

/// One way in which a JSON value does not satisfy a ``JSONSchema``, or one format annotation.
///
/// `description` is `path: message`, with `(root)` for the whole document:
///
///     expires_in: expected integer, got string "3600"
///     (root): missing required property "access_token"
///     token_type: expected one of "Bearer", "bearer", got string "mac"
///     items[2].id: expected a string matching /^[a-z]+$/, got string "A"
package struct JSONSchemaViolation: Sendable, Equatable, CustomStringConvertible {
    /// Where in the instance, in conform's field-path notation (`a.b[0].c`); empty for the root.
    package var instancePath: String
    /// The keyword that does not hold: `type`, `required`, `additionalProperties`, `false` for a `false`
    /// schema…
    package var keyword: String
    /// Where that keyword is written in the schema file.
    var schemaLocation: SourceLocation
    /// What was expected and what was seen, bounded in length: long values are cut with `…`.
    package var message: String
    /// True for a `format` that does not hold while formats are annotations (JSON Schema 2020-12's
    /// default): the value is still valid, and conform shows the violation as a warning.
    package var isAnnotation: Bool

    init(
        instancePath: String, keyword: String, schemaLocation: SourceLocation, message: String,
        isAnnotation: Bool = false
    ) {
        self.instancePath = instancePath
        self.keyword = keyword
        self.schemaLocation = schemaLocation
        self.message = message
        self.isAnnotation = isAnnotation
    }

    /// The label of the instance's root in descriptions.
    static let rootLabel = "(root)"

    package var description: String { "\(instancePath.isEmpty ? Self.rootLabel : instancePath): \(message)" }
}
