import ConformJSON
import ConformJSONSchema

/// A documented response body, decoded strictly with `Codable` (`body.model` in a suite).
///
/// ``fields`` lists every field the documentation names with its JSON type: it words the messages
/// ("expected a JSON number") and finds unknown fields, which are warnings. A test keeps it in step with
/// the `Codable` conformance.
protocol ResponseModel: Codable, Sendable {
    /// The name suites use: `pitchpoint.token`.
    static var modelName: String { get }
    static var fields: [ModelField] { get }
}

/// One documented field of a model.
struct ModelField: Sendable, Equatable {
    var path: String
    var kind: JSONKind
    var required: Bool

    init(_ path: String, _ kind: JSONKind, required: Bool = true) {
        self.path = path
        self.kind = kind
        self.required = required
    }
}

/// JSON types as the documentation names them.
enum JSONKind: String, Sendable, Equatable {
    case string, number, boolean, object, array

    /// "a string", "a JSON number", …
    var description: String {
        switch self {
        case .string: "a string"
        case .number: "a JSON number"
        case .boolean: "a boolean"
        case .object: "an object"
        case .array: "an array"
        }
    }
}

/// The models a suite may name: the vendors' strict `Codable` models, and shapes described by a JSON
/// Schema shipped inside conform (RFC 6749's token and error responses).
enum ResponseModels {
    static let all: [any ResponseModel.Type] = [
        PitchpointToken.self, PitchpointError.self, ConcurTokenJSON.self, ConcurErrorJSON.self,
    ]

    /// Named JSON Schemas, compiled once.
    static let schemas: [(name: String, schema: JSONSchema)] = [
        ("rfc6749.token", RFC6749Schemas.token), ("rfc6749.error", RFC6749Schemas.error),
    ].compactMap { name, text in
        // The shipped text is tested to compile; a failure here would be conform's own bug.
        guard let root = try? JSONNodeParser.parse(Array(text.utf8)),
            case .success(let schema) = JSONSchema.compile(root, file: "<\(name)>")
        else { return nil }
        return (name, schema)
    }

    /// The compiled body a `model` name stands for.
    static func body(named name: String) -> CompiledBody? {
        if let model = all.first(where: { $0.modelName == name }) { return .model(model) }
        if let entry = schemas.first(where: { $0.name == name }) {
            return .jsonSchema(CompiledJSONBody(schema: entry.schema, name: name))
        }
        return nil
    }

    static var names: [String] { all.map { $0.modelName } + ["rfc6749.token", "rfc6749.error"] }
}
