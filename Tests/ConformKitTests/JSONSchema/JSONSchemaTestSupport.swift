import Foundation
import Testing

@testable import ConformJSON
@testable import ConformJSONSchema
@testable import ConformKit
@testable import ConformSupport

/// Schemas and instances written inline in the tests.
enum SchemaFixture {
    /// Compiles a schema from JSON text; a failure is recorded with every diagnostic.
    static func schema(
        _ text: String, options: JSONSchema.Options = JSONSchema.Options(),
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> JSONSchema {
        let root = try JSONNodeParser.parse(Array(text.utf8))
        switch JSONSchema.compile(root, file: "schema.json", options: options) {
        case .success(let schema):
            return schema
        case .failure(let error):
            Issue.record("the schema does not compile: \(error)", sourceLocation: sourceLocation)
            throw error
        }
    }

    /// The diagnostics of a schema that must not compile (empty when it compiles).
    static func diagnostics(_ text: String) throws -> [String] {
        let root = try JSONNodeParser.parse(Array(text.utf8))
        switch JSONSchema.compile(root, file: "schema.json") {
        case .success: return []
        case .failure(let error): return error.diagnostics.map(\.description)
        }
    }

    static func instance(_ text: String) throws -> JSONValue {
        try JSONNodeParser.parse(Array(text.utf8)).jsonValue
    }

    /// The descriptions of the violations of `instance`.
    static func messages(_ schema: JSONSchema, _ instance: String) throws -> [String] {
        schema.validate(try self.instance(instance)).map(\.description)
    }
}
