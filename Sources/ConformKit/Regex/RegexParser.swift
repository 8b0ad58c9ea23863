/// Reads an ECMA-262 pattern in Unicode mode (the `u` flag) into a ``RegexSyntax`` tree.
///
/// Unicode mode is the strict grammar: a lone `{`, `}` or `]`, an escape of an ordinary letter (`\a`) or a
/// class escape used as a range end (`[\d-z]`) is a syntax error, as in JavaScript with `u`. Constructs
/// that are valid but need backtracking (backreferences, lookaround) are parsed, checked and listed in
/// ``ParsedPattern/unsupported`` so that the `regex` format can still accept them.
struct RegexParser {
    /// Groups nested deeper than this are refused, so that a hostile pattern cannot exhaust the stack.
    static let maximumNesting = 100

    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var nesting = 0
    private var groupCount = 0
    private var groupNames: Set<String> = []
    private var numberedReferences: [(number: Int, offset: Int)] = []
    private var namedReferences: [(name: String, offset: Int)] = []
    private var unsupported: [LinearRegex.Error] = []

    private init(_ pattern: String) {
        scalars = Array(pattern.unicodeScalars)
    }

    static func parse(_ pattern: String) throws(LinearRegex.Error) -> ParsedPattern {
        var parser = RegexParser(pattern)
        let syntax = try parser.parseDisjunction()
        if parser.position < parser.scalars.count {
            throw parser.error("unmatched ')'", at: parser.position)
        }
        for reference in parser.numberedReferences where reference.number > parser.groupCount {
            throw parser.error(
                "backreference \\\(reference.number) names a group that does not exist", at: reference.offset)
        }
        for reference in parser.namedReferences where !parser.groupNames.contains(reference.name) {
            throw parser.error(
                "backreference \\k<\(reference.name)> names a group that does not exist", at: reference.offset)
        }
        return ParsedPattern(syntax: syntax, unsupported: parser.unsupported)
    }

    // MARK: - Helpers

    private var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private func peek(_ distance: Int) -> Unicode.Scalar? {
        position + distance < scalars.count ? scalars[position + distance] : nil
    }

    private func error(_ message: String, at offset: Int) -> LinearRegex.Error {
        LinearRegex.Error(message: message, offset: offset)
    }

    private mutating func take(_ scalar: Unicode.Scalar) -> Bool {
        guard current == scalar else { return false }
        position += 1
        return true
    }

    private mutating func refuse(_ message: String, at offset: Int) {
        unsupported.append(error(message, at: offset))
    }

    private static let syntaxCharacters: Set<Unicode.Scalar> = [
        "^", "$", "\\", ".", "*", "+", "?", "(", ")", "[", "]", "{", "}", "|",
    ]

    private static func isDecimalDigit(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        return ("0"..."9").contains(scalar)
    }

    private static func hexValue(_ scalar: Unicode.Scalar?) -> UInt32? {
        guard let scalar else { return nil }
        switch scalar {
        case "0"..."9": return scalar.value - 0x30
        case "a"..."f": return scalar.value - 0x61 + 10
        case "A"..."F": return scalar.value - 0x41 + 10
        default: return nil
        }
    }

    // MARK: - Disjunctions, alternatives, terms

    private mutating func parseDisjunction() throws(LinearRegex.Error) -> RegexSyntax {
        var alternatives = [try parseAlternative()]
        while take("|") {
            alternatives.append(try parseAlternative())
        }
        return alternatives.count == 1 ? alternatives[0] : .alternation(alternatives)
    }

    private mutating func parseAlternative() throws(LinearRegex.Error) -> RegexSyntax {
        var terms: [RegexSyntax] = []
        while let scalar = current, scalar != "|", scalar != ")" {
            terms.append(try parseTerm())
        }
        switch terms.count {
        case 0: return .empty
        case 1: return terms[0]
        default: return .concatenation(terms)
        }
    }

    private mutating func parseTerm() throws(LinearRegex.Error) -> RegexSyntax {
        let start = position
        let atom: RegexSyntax
        var isQuantifiable = true
        switch current {
        case "^":
            position += 1
            atom = .assertion(.start)
            isQuantifiable = false
        case "$":
            position += 1
            atom = .assertion(.end)
            isQuantifiable = false
        case "\\" where peek(1) == "b":
            position += 2
            atom = .assertion(.wordBoundary)
            isQuantifiable = false
        case "\\" where peek(1) == "B":
            position += 2
            atom = .assertion(.notWordBoundary)
            isQuantifiable = false
        case "\\":
            atom = try parseAtomEscape()
        case "(":
            let group = try parseGroup()
            atom = group.syntax
            isQuantifiable = !group.isLookaround
        case ".":
            position += 1
            atom = .set(.dot)
        case "[":
            atom = .set(try parseClass())
        case "*", "+", "?":
            throw error("nothing to repeat before '\(current!)'", at: start)
        case "{":
            if (try? quantifierBounds()) != nil { throw error("nothing to repeat before '{'", at: start) }
            throw error("a lone '{' must be escaped as \\{ in a Unicode-mode pattern", at: start)
        case "}":
            throw error("a lone '}' must be escaped as \\} in a Unicode-mode pattern", at: start)
        case "]":
            throw error("a lone ']' must be escaped as \\] in a Unicode-mode pattern", at: start)
        default:
            atom = .literal(current!.value)
            position += 1
        }
        return try parseQuantifier(for: atom, isQuantifiable: isQuantifiable)
    }

    private mutating func parseQuantifier(
        for atom: RegexSyntax, isQuantifiable: Bool
    ) throws(LinearRegex.Error) -> RegexSyntax {
        let start = position
        let bounds: (min: Int, max: Int?)
        switch current {
        case "*":
            position += 1
            bounds = (0, nil)
        case "+":
            position += 1
            bounds = (1, nil)
        case "?":
            position += 1
            bounds = (0, 1)
        case "{":
            guard let counted = try quantifierBounds() else {
                throw error("incomplete quantifier: expected {n}, {n,} or {n,m}", at: start)
            }
            bounds = counted
        default:
            return atom
        }
        guard isQuantifiable else { throw error("nothing to repeat: an assertion cannot be quantified", at: start) }
        let greedy = !take("?")
        if let next = current, ["*", "+", "?", "{"].contains(next) {
            throw error("nothing to repeat before '\(next)'", at: position)
        }
        return .repetition(atom, min: bounds.min, max: bounds.max, greedy: greedy, offset: start)
    }

    /// Reads `{n}`, `{n,}` or `{n,m}` at the current position; nil (position unchanged) when it is not one.
    private mutating func quantifierBounds() throws(LinearRegex.Error) -> (min: Int, max: Int?)? {
        let start = position
        guard take("{"), let minimum = readDecimal() else {
            position = start
            return nil
        }
        var maximum: Int? = minimum
        if take(",") {
            maximum = readDecimal()
        }
        guard take("}") else {
            position = start
            return nil
        }
        if let maximum, maximum < minimum {
            throw error("numbers out of order in {\(minimum),\(maximum)} quantifier", at: start)
        }
        return (minimum, maximum)
    }

    /// Decimal digits, saturating at `Int.max`.
    private mutating func readDecimal() -> Int? {
        var value: Int?
        while let scalar = current, Self.isDecimalDigit(scalar) {
            let digit = Int(scalar.value - 0x30)
            let (times, overflow1) = (value ?? 0).multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(digit)
            value = overflow1 || overflow2 ? Int.max : sum
            position += 1
        }
        return value
    }

    // MARK: - Groups

    private mutating func parseGroup() throws(LinearRegex.Error) -> (syntax: RegexSyntax, isLookaround: Bool) {
        let start = position
        position += 1  // (
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Self.maximumNesting {
            throw error("groups nested deeper than \(Self.maximumNesting) levels", at: start)
        }
        var lookaround: String?
        if take("?") {
            switch current {
            case ":":
                position += 1
            case "=":
                position += 1
                lookaround = "lookahead (?=…)"
            case "!":
                position += 1
                lookaround = "negative lookahead (?!…)"
            case "<" where peek(1) == "=":
                position += 2
                lookaround = "lookbehind (?<=…)"
            case "<" where peek(1) == "!":
                position += 2
                lookaround = "negative lookbehind (?<!…)"
            case "<":
                position += 1
                let name = try parseGroupName()
                guard groupNames.insert(name).inserted else {
                    throw error("duplicate group name <\(name)>", at: start)
                }
                groupCount += 1
            case let scalar? where "ims-".unicodeScalars.contains(scalar):
                while let flag = current, "ims-".unicodeScalars.contains(flag) { position += 1 }
                guard take(":") else { throw error("invalid group: expected ':' after modifiers", at: position) }
                refuse("inline modifiers (?ims-ims:…) are not supported", at: start)
            default:
                throw error("invalid group: '(?' must be followed by ':', '=', '!', '<=', '<!' or '<name>'", at: start)
            }
        } else {
            groupCount += 1
        }
        let inner = try parseDisjunction()
        guard take(")") else { throw error("unterminated group: missing ')'", at: start) }
        if let lookaround {
            refuse("\(lookaround) is not supported: it needs backtracking", at: start)
            return (.empty, true)
        }
        return (inner, false)
    }

    /// A group name after `<`, through `>`: an identifier (letters, digits, `$`, `_`).
    private mutating func parseGroupName() throws(LinearRegex.Error) -> String {
        let start = position
        var name = ""
        while let scalar = current, scalar != ">" {
            let isStart = scalar.properties.isIDStart || scalar == "$" || scalar == "_"
            let isContinue =
                scalar.properties.isIDContinue || scalar == "$" || scalar == "\u{200C}" || scalar == "\u{200D}"
            guard name.isEmpty ? isStart : isContinue else {
                throw error("invalid character in group name", at: position)
            }
            name.unicodeScalars.append(scalar)
            position += 1
        }
        guard !name.isEmpty, take(">") else { throw error("invalid group name: expected <name>", at: start) }
        return name
    }

    // MARK: - Escapes

    /// After `\` outside a class (`\b` and `\B` are assertions, read by the caller).
    private mutating func parseAtomEscape() throws(LinearRegex.Error) -> RegexSyntax {
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

    private mutating func parseClass() throws(LinearRegex.Error) -> ScalarSet {
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
