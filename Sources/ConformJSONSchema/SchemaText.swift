import ConformJSON
import Foundation

/// The pieces of JSON Schema messages, each bounded so that a message stays readable whatever the schema and
/// the response hold: values as JSON (`"Bearer"`, `3`, `{"a":1}`), patterns as `/…/`, lists of values.
enum SchemaText {
    /// Characters of one value or pattern before it is cut with `…`.
    static let valueLimit = 60
    /// Characters of a list of values (an `enum`) before the rest is summarised.
    static let listLimit = 120
    /// Characters of one alternative's reason in an `anyOf`/`oneOf` message.
    static let reasonLimit = 160
    /// Alternatives whose reasons an `anyOf`/`oneOf` message shows.
    static let reasonCount = 5

    /// A value as it is seen in a response: `string "3600"`, `number 3600`, `an object with 2 fields`.
    static func seen(_ value: JSONValue) -> String { value.seenDescription }

    /// A value as compact JSON, cut: `"Bearer"`, `3`, `{"a":[1,2]}`.
    static func json(_ value: JSONValue) -> String {
        switch value {
        case .string(let string): return JSONValue.quoted(string, limit: valueLimit)
        case .number(let number): return JSONValue.format(number)
        case .bool(let bool): return String(bool)
        case .null: return "null"
        case .object, .array: return cut(String(decoding: value.encoded(), as: UTF8.self), limit: valueLimit)
        }
    }

    /// `"a", "b", "c"`, or `"a", "b", … (12 values)` when long.
    static func list(_ values: [JSONValue]) -> String {
        var text = ""
        for (offset, value) in values.enumerated() {
            let item = json(value)
            if offset > 0, text.count + item.count + 2 > listLimit {
                return text + ", … (\(values.count) values)"
            }
            text += (offset > 0 ? ", " : "") + item
        }
        return text
    }

    /// A property name, quoted and cut when long: `"access_token"`.
    static func name(_ name: String) -> String { JSONValue.quoted(name, limit: valueLimit) }

    /// A string value, quoted and cut with `…` inside the quotes: `"abc"`, `"aaaa…"`.
    static func string(_ string: String) -> String { JSONValue.quoted(cut(string, limit: valueLimit), limit: Int.max) }

    /// `a string of 1000000 characters`, for a value too long to judge.
    static func length(_ string: String) -> String {
        "a string of \(string.unicodeScalars.count) characters"
    }

    /// `/^[a-z]+$/`, cut when long.
    static func pattern(_ pattern: String) -> String { "/\(cut(pattern, limit: valueLimit))/" }

    /// The text, cut after `limit` characters with `…`.
    static func cut(_ text: String, limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(limit)) + "…"
    }

    /// `a`, `a or b`, `a, b or c`.
    static func alternatives(_ items: [String], conjunction: String = "or") -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " \(conjunction) " + items[items.count - 1]
    }

    /// `1 item`, `2 items`, `2 properties`.
    static func count(_ number: Int, _ noun: String) -> String {
        guard number != 1 else { return "1 \(noun)" }
        return noun.hasSuffix("y") ? "\(number) \(noun.dropLast())ies" : "\(number) \(noun)s"
    }
}
