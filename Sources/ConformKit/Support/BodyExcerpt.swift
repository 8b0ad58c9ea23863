import Foundation

/// Text an endpoint sent, made fit for one line of a diagnostic: bytes that are not UTF-8 shown as
/// `\x{FF}`, line breaks and other control characters escaped, cut at a number of characters with "…".
///
/// Never masks: masking happens once, when the text leaves conform (``OutputBoundary``), and a cut always
/// ends in "…" so that the masker can tell a secret's cut start from other text.
enum BodyExcerpt {
    /// The start of a body: `{"error":"invalid_grant"}`, or `<html>…… (2048 bytes in all)`, or `(empty body)`.
    static func text(of body: Data, limit: Int) -> String {
        if body.isEmpty { return "(empty body)" }
        // Enough bytes for `limit` characters however they are spelt, and never the whole of a huge body.
        let head = body.prefix(limit * 4 + 64)
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        var trimmed = head.drop(while: isSpace)
        while let last = trimmed.last, isSpace(last) { trimmed = trimmed.dropLast() }
        var text = escaped(Data(trimmed))
        let complete = head.count == body.count
        if let cut = cut(text, limit: limit) {
            text = cut
        } else if !complete {
            text += "…"
        } else {
            return text
        }
        return "\(text) (\(body.count) bytes in all)"
    }

    /// A whole body as lines of text, for a report that shows it: line breaks and tabs kept, other control
    /// characters and bytes that are not UTF-8 escaped as in ``text(of:limit:)``. Past `limit` bytes the text
    /// is cut (at the start of a character) and ends in "…", so that the masker can tell a cut secret.
    static func wholeText(of body: Data, limit: Int) -> (text: String, cut: Bool) {
        guard body.count > limit else { return (escaped(body, keepingLines: true), false) }
        var end = body.startIndex + limit
        var backed = 0
        while backed < 3, end > body.startIndex, body[end] & 0xC0 == 0x80 {
            end -= 1
            backed += 1
        }
        return (escaped(Data(body[body.startIndex..<end]), keepingLines: true) + "…", true)
    }

    /// A header value or a reason phrase on one line, cut at `limit` characters.
    static func line(_ text: String, limit: Int) -> String {
        let escaped = escaped(Data(text.utf8))
        return cut(escaped, limit: limit) ?? escaped
    }

    /// The text cut at `limit` characters with "…", or `nil` when it is not longer.
    private static func cut(_ text: String, limit: Int) -> String? {
        guard text.count > limit else { return nil }
        return "\(text.prefix(limit))…"
    }

    /// UTF-8 decoded; invalid bytes as `\x{FF}`; CR, LF and tab as `\r`, `\n`, `\t`; other control characters
    /// as `\u{1B}`.
    private static func escaped(_ data: Data, keepingLines: Bool = false) -> String {
        var result = ""
        var decoder = UTF8()
        // Decode scalar by scalar; a byte that starts no valid sequence is shown on its own.
        let bytes = Array(data)
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length: Int
            switch lead {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: length = 0
            }
            if length > 0, index + length <= bytes.count {
                var slice = bytes[index..<(index + length)].makeIterator()
                if case .scalarValue(let scalar) = decoder.decode(&slice) {
                    if keepingLines, scalar == "\n" || scalar == "\r" || scalar == "\t" {
                        result.unicodeScalars.append(scalar)
                    } else {
                        append(scalar, to: &result)
                    }
                    index += length
                    continue
                }
                decoder = UTF8()
            }
            result += "\\x{\(String(lead, radix: 16, uppercase: true))}"
            index += 1
        }
        return result
    }

    private static func append(_ scalar: Unicode.Scalar, to result: inout String) {
        switch scalar.value {
        case 0x0A: result += "\\n"
        case 0x0D: result += "\\r"
        case 0x09: result += "\\t"
        case 0x00...0x1F, 0x7F...0x9F: result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
        default: result.unicodeScalars.append(scalar)
        }
    }
}
