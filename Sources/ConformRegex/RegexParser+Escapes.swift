/// Escapes and character classes: `\d`, `\p{L}`, `\u{…}`, `[^a-z\s]`…
extension RegexParser {
    // MARK: - Escapes

    /// After `\` outside a class (`\b` and `\B` are assertions, read by the caller).
    mutating func parseAtomEscape() throws(LinearRegex.Error) -> RegexSyntax {
        let start = position
        position += 1  // backslash
        guard let scalar = current else { throw error("'\\' at the end of the pattern", at: start) }
        switch scalar {
        case "1"..."9":
            let number = readDecimal() ?? 0
            numberedReferences.append((number, start))
            refuse("backreference \\\(number) is not supported: it needs backtracking", at: start)
            return .empty
        case "k":
            position += 1
            guard take("<") else { throw error("invalid escape \\k: expected \\k<name>", at: start) }
            let name = try parseGroupName()
            namedReferences.append((name, start))
            refuse("backreference \\k<\(name)> is not supported: it needs backtracking", at: start)
            return .empty
        default:
            if let set = try parseClassEscape(at: start) { return .set(set) }
            return .literal(try parseCharacterEscape(at: start, inClass: false))
        }
    }

    /// `\d \D \s \S \w \W \p{…} \P{…}` (the backslash already read), or nil for another escape.
    private mutating func parseClassEscape(at start: Int) throws(LinearRegex.Error) -> ScalarSet? {
        switch current {
        case "d":
            position += 1
            return .digits
        case "D":
            position += 1
            return ScalarSet(ranges: ScalarSet.digits.ranges, isInverted: true)
        case "s":
            position += 1
            return .whitespace
        case "S":
            position += 1
            return ScalarSet(ranges: ScalarSet.whitespace.ranges, isInverted: true)
        case "w":
            position += 1
            return .word
        case "W":
            position += 1
            return ScalarSet(ranges: ScalarSet.word.ranges, isInverted: true)
        case "p", "P":
            let negated = current == "P"
            position += 1
            guard take("{") else { throw error("invalid property escape: expected \\p{…}", at: start) }
            var text = ""
            while let scalar = current, scalar != "}" {
                guard scalar.isASCII,
                    scalar.properties.isAlphabetic || Self.isDecimalDigit(scalar) || scalar == "_" || scalar == "="
                else { throw error("invalid character in property escape", at: position) }
                text.unicodeScalars.append(scalar)
                position += 1
            }
            guard take("}") else { throw error("unterminated property escape: missing '}'", at: start) }
            switch UnicodeProperty.lookUp(text) {
            case .found(let property):
                return .property(property, negated: negated)
            case .unsupported(let message):
                refuse(message, at: start)
                return ScalarSet()
            case .unknown:
                throw error("unknown Unicode property \\\(negated ? "P" : "p"){\(text)}", at: start)
            }
        default:
            return nil
        }
    }

    /// A CharacterEscape (the backslash already read): one code point.
    private mutating func parseCharacterEscape(at start: Int, inClass: Bool) throws(LinearRegex.Error) -> UInt32 {
        guard let scalar = current else { throw error("'\\' at the end of the pattern", at: start) }
        position += 1
        switch scalar {
        case "f": return 0x0C
        case "n": return 0x0A
        case "r": return 0x0D
        case "t": return 0x09
        case "v": return 0x0B
        case "c":
            guard let letter = current, letter.isASCII, letter.properties.isAlphabetic else {
                throw error("invalid escape \\c: expected a letter (\\cA to \\cZ)", at: start)
            }
            position += 1
            return letter.value % 32
        case "0":
            if Self.isDecimalDigit(current) {
                throw error("invalid escape \\0 followed by a digit in a Unicode-mode pattern", at: start)
            }
            return 0
        case "x":
            guard let high = Self.hexValue(current), let low = Self.hexValue(peek(1)) else {
                throw error("invalid escape \\x: expected two hex digits", at: start)
            }
            position += 2
            return high << 4 | low
        case "u":
            return try parseUnicodeEscape(at: start)
        case "-" where inClass:
            return 0x2D
        default:
            if Self.syntaxCharacters.contains(scalar) || scalar == "/" { return scalar.value }
            throw error(
                "invalid escape \\\(scalar) in a Unicode-mode pattern (only syntax characters may be escaped)",
                at: start)
        }
    }

    /// After `\u`: `XXXX`, a surrogate pair `XXXX\uXXXX`, or `{X…}`.
    private mutating func parseUnicodeEscape(at start: Int) throws(LinearRegex.Error) -> UInt32 {
        if take("{") {
            var value: UInt32 = 0
            var digits = 0
            while let digit = Self.hexValue(current) {
                value = value << 4 | digit
                digits += 1
                position += 1
                guard value <= ScalarSet.maximumCodePoint else {
                    throw error("invalid escape \\u{…}: beyond U+10FFFF", at: start)
                }
            }
            guard digits > 0, take("}") else {
                throw error("invalid escape \\u{…}: expected hex digits and '}'", at: start)
            }
            return value
        }
        guard let value = readHex4() else { throw error("invalid escape \\u: expected four hex digits", at: start) }
        if (0xD800...0xDBFF).contains(value), current == "\\", peek(1) == "u" {
            let resume = position
            position += 2
            if let low = readHex4(), (0xDC00...0xDFFF).contains(low) {
                return 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
            }
            position = resume
        }
        return value
    }

    private mutating func readHex4() -> UInt32? {
        var value: UInt32 = 0
        for distance in 0..<4 {
            guard let digit = Self.hexValue(peek(distance)) else { return nil }
            value = value << 4 | digit
        }
        position += 4
        return value
    }

    // MARK: - Classes

    mutating func parseClass() throws(LinearRegex.Error) -> ScalarSet {
        let start = position
        position += 1  // [
        var set = ScalarSet(isInverted: take("^"))
        while current != "]" {
            guard current != nil else { throw error("unterminated character class: missing ']'", at: start) }
            let itemStart = position
            let first = try parseClassAtom()
            if current == "-", let next = peek(1), next != "]" {
                position += 1
                let last = try parseClassAtom()
                guard case .single(let low) = first, case .single(let high) = last else {
                    throw error(
                        "a class escape such as \\d cannot be a range end in a Unicode-mode pattern", at: itemStart)
                }
                guard low <= high else { throw error("range out of order in character class", at: itemStart) }
                set.formUnion(ScalarSet(ranges: [low...high]))
                continue
            }
            switch first {
            case .single(let value): set.formUnion(ScalarSet(ranges: [value...value]))
            case .set(let members): set.formUnion(members)
            }
        }
        position += 1  // ]
        return set
    }

    private enum ClassAtom {
        case single(UInt32)
        case set(ScalarSet)
    }

    private mutating func parseClassAtom() throws(LinearRegex.Error) -> ClassAtom {
        let start = position
        guard let scalar = current else { throw error("unterminated character class: missing ']'", at: start) }
        guard scalar == "\\" else {
            position += 1
            return .single(scalar.value)
        }
        position += 1
        switch current {
        case "b":
            position += 1
            return .single(0x08)
        case let digit? where Self.isDecimalDigit(digit) && digit != "0":
            throw error("invalid escape \\\(digit) in a character class", at: start)
        default:
            if let set = try parseClassEscape(at: start) { return .set(set) }
            return .single(try parseCharacterEscape(at: start, inClass: true))
        }
    }
}
