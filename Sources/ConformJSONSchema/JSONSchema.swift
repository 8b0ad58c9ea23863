import ConformJSON
import ConformSupport
import Foundation

/// A JSON Schema (draft 2020-12), compiled once and used to validate any number of response bodies.
///
/// conform evaluates the keywords listed in docs/json-schema.md and refuses, when the schema is compiled,
/// everything else: a schema never passes because part of it was silently skipped. `$ref` resolves JSON
/// pointers within the same document. `pattern` and `patternProperties` run on ``LinearRegex``, so
/// validation time stays linear in the size of the response whatever the schema says.
///
///     let schema = try JSONSchema.load(contentsOf: "suites/schemas/acme/token.json").get()
///     for violation in schema.validate(body) {
///         print(violation)    // expires_in: expected integer, got string "3600"
///     }
package struct JSONSchema: Sendable {
    package struct Options: Sendable, Equatable {
        /// Whether a string that does not match its `format` fails validation. Off by default, as JSON
        /// Schema 2020-12 says: the mismatch is then a violation with `isAnnotation` set (a warning).
        var formatAssertion: Bool

        init(formatAssertion: Bool = false) {
            self.formatAssertion = formatAssertion
        }
    }

    /// The file the schema came from, as given; violations locate keywords in it.
    let file: String
    let options: Options
    /// The root schema is `schemas[0]`.
    let schemas: [CompiledSchema]
    /// Tells compiled schemas apart (a response's validations are kept per schema).
    private let token = Token()
    package var identity: ObjectIdentifier { ObjectIdentifier(token) }

    private final class Token: Sendable {}

    /// Compiles a schema read with conform's located JSON reader; every problem is a diagnostic at the
    /// offending keyword or value.
    package static func compile(
        _ root: JSONNode, file: String, options: Options = Options(), deadline: WorkDeadline = .never
    ) -> Result<JSONSchema, JSONSchemaLoadError> {
        JSONSchemaCompiler.compile(root, file: file, deadline: deadline).map {
            JSONSchema(file: file, options: options, schemas: $0)
        }
    }

    /// Reads, parses and compiles a schema file; a syntax error is a diagnostic at its line and column.
    package static func load(
        contentsOf path: String, options: Options = Options(), deadline: WorkDeadline = .never
    ) -> Result<JSONSchema, JSONSchemaLoadError> {
        let data: Data
        do {
            data = try InputFile.read(path)
        } catch {
            return .failure(
                JSONSchemaLoadError(diagnostics: [
                    Diagnostic(file: path, location: nil, message: "cannot read the JSON Schema: \(error)")
                ]))
        }
        do {
            let root = try JSONNodeParser.parse(Array(data))
            return compile(root, file: path, options: options, deadline: deadline)
        } catch {
            return .failure(
                JSONSchemaLoadError(diagnostics: [
                    Diagnostic(file: path, location: error.location, message: error.message)
                ]))
        }
    }

    /// Every violation of the schema by `instance`, failures and (unless ``Options/formatAssertion``)
    /// format annotations, in the order found. The instance is valid when no violation is a failure.
    ///
    /// A `pattern` that needs more than ``LinearRegex/maximumSteps`` steps on a value is a violation ("pattern
    /// too costly for this value"); when `deadline` passes, validation stops and its last violation says why.
    package func validate(_ instance: JSONValue, deadline: WorkDeadline = .never) -> [JSONSchemaViolation] {
        var validator = SchemaValidator(
            schemas: schemas, formatAssertion: options.formatAssertion, instance: instance, deadline: deadline)
        return validator.validate()
    }

    /// ``validate(_:)`` with the number of (schema, value) evaluations it took, for tests of its cost.
    func measuredValidate(_ instance: JSONValue) -> (violations: [JSONSchemaViolation], evaluations: Int) {
        var validator = SchemaValidator(schemas: schemas, formatAssertion: options.formatAssertion, instance: instance)
        let violations = validator.validate()
        return (violations, validator.evaluations)
    }

    /// Whether `instance` is valid: no violation but annotations.
    func isValid(_ instance: JSONValue) -> Bool {
        validate(instance).allSatisfy(\.isAnnotation)
    }
}
