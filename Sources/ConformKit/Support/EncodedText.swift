import ConformSupport
import Foundation

/// A text with one layer of escapes read, each byte mapped to the range of the original text it came from;
/// `nil` when there is nothing to read.
struct DecodedLayer {
    var bytes: [UInt8] = []
    var starts: [Int32] = []
    var ends: [Int32] = []

    init?(decoding source: UnsafeBufferPointer<UInt8>) {
        self.init(source, start: { Int32($0) }, end: { Int32($0 + 1) })
    }

    init?(decoding previous: DecodedLayer) {
        let result = previous.bytes.withUnsafeBufferPointer { bytes in
            DecodedLayer(bytes, start: { previous.starts[$0] }, end: { previous.ends[$0] })
        }
        guard let result else { return nil }
        self = result
    }

    private init?(
        _ source: UnsafeBufferPointer<UInt8>, start: (Int) -> Int32, end: (Int) -> Int32
    ) {
        guard source.contains(where: EncodedText.mayStartEscape) else { return nil }
        bytes.reserveCapacity(source.count)
        starts.reserveCapacity(source.count)
        ends.reserveCapacity(source.count)
        var index = 0
        var unit: [UInt8] = []
        var changed = false
        while index < source.count {
            unit.removeAll(keepingCapacity: true)
            let next = EncodedText.decodeUnit(source, at: index, into: &unit)
            // An escape cut by "…" (`%5…`, `\u00…`, `&#x4…`) reads as nothing: the start of a secret before it
            // then ends right at the "…", as in the plain spelling, and is masked with the escape's remains.
            if next == index + 1, EncodedText.mayStartEscape(source[index]),
                let cut = EncodedText.cutEscape(source, at: index)
            {
                changed = true
                index = cut
                continue
            }
            if next - index != 1 || unit.count != 1 { changed = true }
            let unitStart = start(index)
            let unitEnd = end(next - 1)
            for byte in unit {
                bytes.append(byte)
                starts.append(unitStart)
                ends.append(unitEnd)
            }
            index = next
        }
        guard changed else { return nil }
    }
}

/// Reads the escapes endpoints write secrets in: JSON (`\u002B`, `\/`), XML (`&#67;`, `&#x43;`, `&amp;`) and
/// percent-encoding (`%2B`), and the ones conform writes for control characters (`\u{1B}`).
enum EncodedText {
    static func mayStartEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "%")
    }

    /// The longest escape that a cut may leave incomplete (`\u{10FFF`, `&#x10FFF`, `&quot`).
    static let longestCutEscape = 9

    /// Where the "…" begins when an incomplete escape at `index` runs into it, or `nil`.
    static func cutEscape(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        var position = index + 1
        while position < bytes.count, position - index <= longestCutEscape {
            let byte = bytes[position]
            if byte == 0xE2 {
                return position + 3 <= bytes.count && bytes[position + 1] == 0x80 && bytes[position + 2] == 0xA6
                    ? position : nil
            }
            guard ASCII.isAlphanumeric(byte) || byte == UInt8(ascii: "#") || byte == UInt8(ascii: "{") else {
                return nil
            }
            position += 1
        }
        return nil
    }

    /// Decodes the unit at `index` (an escape, or one byte as it is) into `output`; returns where the next
    /// unit begins. Anything that is not a complete, valid escape is one byte as it is.
    static func decodeUnit(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, into output: inout [UInt8]) -> Int {
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "\\"):
            if let end = jsonEscape(bytes, at: index, into: &output) { return end }
        case UInt8(ascii: "&"):
            if let end = characterReference(bytes, at: index, into: &output) { return end }
        case UInt8(ascii: "%"):
            if index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                output.append(UInt8(high << 4 | low))
                return index + 3
            }
        default:
            break
        }
        output.append(byte)
        return index + 1
    }

    private static func jsonEscape(
        _ bytes: UnsafeBufferPointer<UInt8>, at index: Int, into output: inout [UInt8]
    ) -> Int? {
        guard index + 1 < bytes.count else { return nil }
        switch bytes[index + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"):
            output.append(bytes[index + 1])
            return index + 2
        case UInt8(ascii: "n"): output.append(0x0A); return index + 2
        case UInt8(ascii: "t"): output.append(0x09); return index + 2
        case UInt8(ascii: "r"): output.append(0x0D); return index + 2
        case UInt8(ascii: "b"): output.append(0x08); return index + 2
        case UInt8(ascii: "f"): output.append(0x0C); return index + 2
        case UInt8(ascii: "u"):
            if index + 2 < bytes.count, bytes[index + 2] == UInt8(ascii: "{") {
                return braced(bytes, at: index, into: &output)
            }
            guard let unit = hex4(bytes, at: index + 2) else { return nil }
            if (0xD800...0xDBFF).contains(unit) {
                guard index + 11 < bytes.count, bytes[index + 6] == UInt8(ascii: "\\"),
                    bytes[index + 7] == UInt8(ascii: "u"), let low = hex4(bytes, at: index + 8),
                    (0xDC00...0xDFFF).contains(low)
                else { return nil }
                let scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                appendUTF8(UInt32(scalar), to: &output)
                return index + 12
            }
            guard !(0xDC00...0xDFFF).contains(unit) else { return nil }
            appendUTF8(UInt32(unit), to: &output)
            return index + 6
        default:
            return nil
        }
    }

    /// conform's own escape of a control character, `\u{1B}`: one to six hex digits in braces.
    private static func braced(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, into output: inout [UInt8]) -> Int? {
        var position = index + 3
        var value: UInt32 = 0
        while position < bytes.count, position - index - 3 < 6, let digit = hexValue(bytes[position]) {
            value = value << 4 | UInt32(digit)
            position += 1
        }
        guard position > index + 3, position < bytes.count, bytes[position] == UInt8(ascii: "}"),
            let scalar = Unicode.Scalar(value)
        else { return nil }
        appendUTF8(scalar.value, to: &output)
        return position + 1
    }

    private static let entities: [(name: [UInt8], value: UInt8)] = [
        (Array("amp;".utf8), UInt8(ascii: "&")), (Array("lt;".utf8), UInt8(ascii: "<")),
        (Array("gt;".utf8), UInt8(ascii: ">")), (Array("quot;".utf8), UInt8(ascii: "\"")),
        (Array("apos;".utf8), UInt8(ascii: "'")),
    ]

    private static func characterReference(
        _ bytes: UnsafeBufferPointer<UInt8>, at index: Int, into output: inout [UInt8]
    ) -> Int? {
        var position = index + 1
        guard position < bytes.count else { return nil }
        if bytes[position] != UInt8(ascii: "#") {
            for entity in entities where position + entity.name.count <= bytes.count {
                if bytes[position..<(position + entity.name.count)].elementsEqual(entity.name) {
                    output.append(entity.value)
                    return position + entity.name.count
                }
            }
            return nil
        }
        position += 1
        let hexadecimal = position < bytes.count && (bytes[position] | 0x20) == UInt8(ascii: "x")
        if hexadecimal { position += 1 }
        var value: UInt32 = 0
        var digits = 0
        while position < bytes.count, digits < 8 {
            let digit: UInt32?
            if hexadecimal {
                digit = hexValue(bytes[position]).map(UInt32.init)
            } else {
                let byte = bytes[position]
                digit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? UInt32(byte - UInt8(ascii: "0")) : nil
            }
            guard let digit else { break }
            value = value * (hexadecimal ? 16 : 10) + digit
            digits += 1
            position += 1
        }
        guard digits > 0, position < bytes.count, bytes[position] == UInt8(ascii: ";"),
            let scalar = Unicode.Scalar(value)
        else { return nil }
        appendUTF8(scalar.value, to: &output)
        return position + 1
    }

    private static func hex4(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        guard index + 4 <= bytes.count else { return nil }
        var value = 0
        for offset in 0..<4 {
            guard let digit = hexValue(bytes[index + offset]) else { return nil }
            value = value << 4 | Int(digit)
        }
        return value
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func appendUTF8(_ value: UInt32, to output: inout [UInt8]) {
        switch value {
        case ..<0x80:
            output.append(UInt8(value))
        case ..<0x800:
            output += [UInt8(0xC0 | value >> 6), UInt8(0x80 | value & 0x3F)]
        case ..<0x10000:
            output += [UInt8(0xE0 | value >> 12), UInt8(0x80 | value >> 6 & 0x3F), UInt8(0x80 | value & 0x3F)]
        default:
            output += [
                UInt8(0xF0 | value >> 18), UInt8(0x80 | value >> 12 & 0x3F), UInt8(0x80 | value >> 6 & 0x3F),
                UInt8(0x80 | value & 0x3F),
            ]
        }
    }
}
