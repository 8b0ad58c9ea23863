import ConformSupport
import Foundation

/// Any JSON value: read by conform's strict RFC 8259 reader (``decode(_:)``), written with `JSONEncoder`.
///
/// Used where a response must be looked at before (or beside) its strict model: finding the value seen
/// at a field path, unknown fields, field rules and captures. The mock builds its bodies from it too.
package enum JSONValue: Sendable, Equatable, Encodable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .object(let members): try container.encode(members)
        case .array(let items): try container.encode(items)
        case .string(let string): try container.encode(string)
        case .number(let number):
            if number.rounded() == number, abs(number) < 1e15 {
                try container.encode(Int64(number))
            } else {
                try container.encode(number)
            }
        case .bool(let bool): try container.encode(bool)
        case .null: try container.encodeNil()
        }
    }

    /// Reads a response body; `nil` when it is not JSON (RFC 8259).
    ///
    /// The generic view of a body (field rules, unknown fields, captures) comes from the same strict reader
    /// as suite files: probing each value with `JSONDecoder` throws an error per mismatch, and this runs for
    /// every sample. Documented models are still decoded with `Codable`, from this tree.
    package static func decode(_ data: Data) -> JSONValue? {
        try? JSONNodeParser.parse(Array(data)).jsonValue
    }

    /// Compact JSON text with sorted keys.
    package func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a JSONValue cannot fail: every case maps onto a JSON value.
        return (try? encoder.encode(self)) ?? Data("null".utf8)
    }

    /// The JSON type in words, for messages: "a string", "a JSON number", …
    package var typeDescription: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a JSON number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }

    /// The value as seen in a message: `string "3600"`, `number 3600`, `null`, `object with 2 fields`.
    package var seenDescription: String {
        switch self {
        case .object(let members): "an object with \(members.count) field\(members.count == 1 ? "" : "s")"
        case .array(let items): "an array of \(items.count)"
        case .string(let string): "string \(Self.quoted(string))"
        case .number(let number): "number \(Self.format(number))"
        case .bool(let bool): "boolean \(bool)"
        case .null: "null"
        }
    }

    /// A number as JSON would print it: `3600`, not `3600.0` (``MessageText/number(_:)``).
    package static func format(_ number: Double) -> String {
        MessageText.number(number)
    }

    /// A string quoted and cut to a readable length for messages (``MessageText/quoted(_:limit:)``).
    package static func quoted(_ string: String, limit: Int = 80) -> String {
        MessageText.quoted(string, limit: limit)
    }

    /// The string, number or boolean as text (for captures and comparisons); `nil` for the rest.
    package var scalarText: String? {
        switch self {
        case .string(let string): string
        case .number(let number): Self.format(number)
        case .bool(let bool): String(bool)
        default: nil
        }
    }

    /// The value at a field path (`a.b[0].c`), or `nil` when the path leads nowhere.
    package func value(at path: FieldPath) -> JSONValue? {
        var current = self
        for component in path.components {
            switch (component, current) {
            case (.key(let key), .object(let members)):
                guard let next = members[key] else { return nil }
                current = next
            case (.index(let index), .array(let items)):
                guard items.indices.contains(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }
}
