import ConformSupport

/// A JSON value read from a suite file, with the location where it starts.
///
/// Suite files are read into nodes rather than straight into `Codable` types because every problem in a
/// suite must be reported as `file:line:column`, and `JSONDecoder` only knows coding paths.
package struct JSONNode: Sendable {
    package enum Value: Sendable {
        case object([Member])
        case array([JSONNode])
        case string(String)
        case number(Double)
        case bool(Bool)
        case null
    }

    /// An object member; keys keep their own location for "unknown key" diagnostics.
    package struct Member: Sendable {
        package var key: String
        package var keyLocation: SourceLocation
        package var value: JSONNode

        package init(key: String, keyLocation: SourceLocation, value: JSONNode) {
            self.key = key
            self.keyLocation = keyLocation
            self.value = value
        }
    }

    package var value: Value
    package var location: SourceLocation

    package init(value: Value, location: SourceLocation) {
        self.value = value
        self.location = location
    }

    /// The JSON type name used in diagnostics: "an object", "a string", …
    package var typeDescription: String {
        switch value {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }

    /// The node as a plain JSON value, without locations.
    package var jsonValue: JSONValue {
        switch value {
        case .object(let members):
            .object(Dictionary(members.map { ($0.key, $0.value.jsonValue) }, uniquingKeysWith: { $1 }))
        case .array(let items): .array(items.map(\.jsonValue))
        case .string(let string): .string(string)
        case .number(let number): .number(number)
        case .bool(let bool): .bool(bool)
        case .null: .null
        }
    }
}
