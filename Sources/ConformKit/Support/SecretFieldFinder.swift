import ConformSupport
import Foundation

/// Finds the values of secret fields by name in a body that may not parse, so that the tokens an endpoint
/// issued are masked even when decoding could not find them: a truncated JSON body
/// (`"access_token": "eyJ…` cut off), a malformed XML document (`<Token>0_abc` with no end tag).
///
/// One pass over the body, each byte looked at a bounded number of times whatever its shape, so a hostile
/// body of a megabyte of `<Token ` costs what any other megabyte costs. What it finds is registered in
/// the ``SecretStore`` and masked like any other secret, in every spelling.
struct SecretFieldFinder: Sendable {
    /// The last key of each secret field path: `Access_Token.Token` is found as `Token`.
    private let names: Set<[UInt8]>

    init(fields: [FieldPath]) {
        names = Set(
            fields.compactMap { path in
                guard case .key(let name)? = path.components.last else { return nil }
                return Array(name.utf8)
            })
    }

    var isEmpty: Bool { names.isEmpty }

    /// Values of the secret fields: JSON members (`"name": "value`), XML elements with or without a prefix
    /// (`<name …>value`, `<x:name><![CDATA[value`) and XML attributes (`name="value"`).
    func values(in body: Data) -> [String] {
        guard !names.isEmpty, !body.isEmpty else { return [] }
        return body.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var found: [String] = []
            jsonValues(bytes, into: &found)
            xmlValues(bytes, into: &found)
            return found
        }
    }

    // MARK: JSON

    /// Reads string literals left to right; a literal that names a field and is followed by `:` and another
    /// literal gives that literal's content (to the end of the body when it is cut off).
    private func jsonValues(_ bytes: UnsafeBufferPointer<UInt8>, into found: inout [String]) {
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "\"") else {
                index += 1
                continue
            }
            let nameStart = index + 1
            let nameEnd = Self.endOfString(bytes, from: nameStart)
            index = min(nameEnd + 1, bytes.count)
            guard nameEnd < bytes.count, names.contains(Array(bytes[nameStart..<nameEnd])) else { continue }
            var cursor = Self.skipSpace(bytes, from: index)
            guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: ":") else { continue }
            cursor = Self.skipSpace(bytes, from: cursor + 1)
            guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "\"") else { continue }
            let valueStart = cursor + 1
            let valueEnd = Self.endOfString(bytes, from: valueStart)
            found.append(Self.unescapeJSON(bytes[valueStart..<min(valueEnd, bytes.count)]))
            index = min(valueEnd + 1, bytes.count)
        }
    }

    /// The index of the closing quote of a JSON string whose content starts at `start`, or the end.
    private static func endOfString(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""): return index
            case UInt8(ascii: "\\"): index += 2
            default: index += 1
            }
        }
        return bytes.count
    }

    private static func skipSpace(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        return index
    }

    /// The text with its escapes read (JSON's `\u…`, XML's `&…;`); plain text as it is.
    private static func decoded(_ slice: Slice<UnsafeBufferPointer<UInt8>>, escape: UInt8) -> String {
        guard slice.contains(escape) else { return String(decoding: slice, as: UTF8.self) }
        var decoded: [UInt8] = []
        let bytes = UnsafeBufferPointer(rebasing: slice)
        var index = 0
        while index < bytes.count {
            if bytes[index] == escape {
                index = EncodedText.decodeUnit(bytes, at: index, into: &decoded)
            } else {
                decoded.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    private static func unescapeJSON(_ slice: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        decoded(slice, escape: UInt8(ascii: "\\"))
    }

    private static func unescapeXML(_ slice: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        decoded(slice, escape: UInt8(ascii: "&"))
    }

    // MARK: XML

    /// Reads tags left to right. A tag is abandoned at the next `<`, where reading goes on, so no byte is
    /// read twice however the tags are broken.
    private func xmlValues(_ bytes: UnsafeBufferPointer<UInt8>, into found: inout [String]) {
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "<") else {
                index += 1
                continue
            }
            var cursor = index + 1
            let nameStart = cursor
            while cursor < bytes.count, Self.isNameByte(bytes[cursor]) { cursor += 1 }
            let matches = names.contains(Self.localName(bytes[nameStart..<cursor]))
            // Attributes, up to the end of the tag.
            var tagEnd: Int?
            while cursor < bytes.count {
                let byte = bytes[cursor]
                if byte == UInt8(ascii: ">") {
                    tagEnd = cursor
                    break
                }
                if byte == UInt8(ascii: "<") { break }
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    let valueEnd = Self.closing(byte, bytes, from: cursor + 1)
                    if names.contains(Self.attributeName(bytes, before: cursor)) {
                        found.append(Self.unescapeXML(bytes[(cursor + 1)..<valueEnd]))
                    }
                    // A value cut by a `<` ends the tag there; reading goes on at the `<`.
                    if valueEnd < bytes.count, bytes[valueEnd] == UInt8(ascii: "<") {
                        cursor = valueEnd
                        break
                    }
                    cursor = min(valueEnd + 1, bytes.count)
                    continue
                }
                cursor += 1
            }
            guard let end = tagEnd else {
                index = cursor
                continue
            }
            index = end + 1
            guard matches, bytes[end - 1] != UInt8(ascii: "/") else { continue }
            let (value, next) = Self.elementText(bytes, from: index)
            found.append(value)
            index = next
        }
    }

    private static let cdataStart = Array("<![CDATA[".utf8)

    /// The text of an element from its start tag to the next `<`, or a CDATA section; cut bodies give what
    /// there is.
    private static func elementText(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (String, Int) {
        if start + cdataStart.count <= bytes.count, bytes[start..<(start + cdataStart.count)].elementsEqual(cdataStart) {
            let contentStart = start + cdataStart.count
            var index = contentStart
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "]"), index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "]"),
                    bytes[index + 2] == UInt8(ascii: ">")
                {
                    break
                }
                index += 1
            }
            return (String(decoding: bytes[contentStart..<index], as: UTF8.self), min(index + 3, bytes.count))
        }
        var index = start
        while index < bytes.count, bytes[index] != UInt8(ascii: "<") { index += 1 }
        return (unescapeXML(bytes[start..<index]), index)
    }

    private static func closing(_ quote: UInt8, _ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        while index < bytes.count, bytes[index] != quote, bytes[index] != UInt8(ascii: "<") { index += 1 }
        return index
    }

    /// The name before `="`, skipping spaces around `=`.
    private static func attributeName(_ bytes: UnsafeBufferPointer<UInt8>, before quote: Int) -> [UInt8] {
        var index = quote - 1
        while index >= 0, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index -= 1 }
        guard index >= 0, bytes[index] == UInt8(ascii: "=") else { return [] }
        index -= 1
        while index >= 0, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index -= 1 }
        let end = index + 1
        // Names are short; a run of name bytes longer than this is not an attribute worth reading.
        var length = 0
        while index >= 0, isNameByte(bytes[index]), length < 256 {
            index -= 1
            length += 1
        }
        return localName(bytes[(index + 1)..<end])
    }

    private static func localName(_ name: Slice<UnsafeBufferPointer<UInt8>>) -> [UInt8] {
        guard let colon = name.lastIndex(of: UInt8(ascii: ":")) else { return Array(name) }
        return Array(name[(colon + 1)...])
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        ASCII.isAlphanumeric(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":") || byte >= 0x80
    }

}

/// Query parameters whose names always carry secrets, for URLs conform did not build itself (a redirect's
/// `Location`): their values are registered as secrets.
enum SensitiveParameters {
    static let names: Set<String> = [
        "client_secret", "refresh_token", "access_token", "password", "token", "code", "id_token", "assertion",
    ]

    /// The decoded values of sensitive parameters in a URL's query.
    static func values(in url: String) -> [String] {
        guard let items = URLComponents(string: url)?.queryItems else { return [] }
        return items.compactMap { item in
            guard names.contains(item.name.lowercased()), let value = item.value, !value.isEmpty else { return nil }
            return value
        }
    }
}
