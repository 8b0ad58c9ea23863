/// A documented response body, decoded strictly with `Codable` (`body.model` in a suite).
///
/// ``fields`` lists every field the documentation names with its JSON type: it words the messages
/// ("expected a JSON number") and finds unknown fields, which are warnings. A test keeps it in step with
/// the `Codable` conformance.
public protocol ResponseModel: Codable, Sendable {
    /// The name suites use: `pitchpoint.token`.
    static var modelName: String { get }
    static var fields: [ModelField] { get }
}

/// One documented field of a model.
public struct ModelField: Sendable, Equatable {
    public var path: String
    public var kind: JSONKind
    public var required: Bool

    public init(_ path: String, _ kind: JSONKind, required: Bool = true) {
        self.path = path
        self.kind = kind
        self.required = required
    }
}

/// JSON types as the documentation names them.
public enum JSONKind: String, Sendable, Equatable {
    case string, number, boolean, object, array

    /// "a string", "a JSON number", …
    public var description: String {
        switch self {
        case .string: "a string"
        case .number: "a JSON number"
        case .boolean: "a boolean"
        case .object: "an object"
        case .array: "an array"
        }
    }
}

/// The models a suite may name.
public enum ResponseModels {
    public static let all: [any ResponseModel.Type] = [
        PitchpointToken.self, PitchpointError.self, ConcurTokenJSON.self, ConcurErrorJSON.self,
    ]

    public static func named(_ name: String) -> (any ResponseModel.Type)? {
        all.first { $0.modelName == name }
    }

    public static var names: [String] { all.map { $0.modelName } }
}
