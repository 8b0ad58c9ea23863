/// How values are written inside messages, by every layer: numbers as JSON prints them, strings quoted and
/// cut to a readable length. `JSONValue.format` and `JSONValue.quoted` say the same.
package enum MessageText {
    /// A number as JSON would print it: `3600`, not `3600.0`.
    package static func number(_ number: Double) -> String {
        if number.rounded() == number, abs(number) < 1e15 { return String(Int64(number)) }
        return String(number)
    }

    /// A string quoted and cut to a readable length for messages.
    package static func quoted(_ string: String, limit: Int = 80) -> String {
        var escaped = ""
        var count = 0
        for character in string {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
            count += 1
        }
        if escaped.count > limit { return "\"\(escaped.prefix(limit))…\" (\(count) characters)" }
        return "\"\(escaped)\""
    }
}
