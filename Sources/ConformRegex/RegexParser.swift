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
    var position = 0
    private var nesting = 0
    var groupCount = 0
    private var groupNames: Set<String> = []
    var numberedReferences: [(number: Int, offset: Int)] = []
    var namedReferences: [(name: String, offset: Int)] = []
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

    var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    func peek(_ distance: Int) -> Unicode.Scalar? {
        position + distance < scalars.count ? scalars[position + distance] : nil
    }

    func error(_ message: String, at offset: Int) -> LinearRegex.Error {
        LinearRegex.Error(message: message, offset: offset)
    }

    mutating func take(_ scalar: Unicode.Scalar) -> Bool {
        guard current == scalar else { return false }
        position += 1
        return true
    }

    mutating func refuse(_ message: String, at offset: Int) {
        unsupported.append(error(message, at: offset))
    }

    static let syntaxCharacters: Set<Unicode.Scalar> = [
        "^", "$", "\\", ".", "*", "+", "?", "(", ")", "[", "]", "{", "}", "|",
    ]

    static func isDecimalDigit(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        return ("0"..."9").contains(scalar)
    }

    static func hexValue(_ scalar: Unicode.Scalar?) -> UInt32? {
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
    mutating func readDecimal() -> Int? {
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
    mutating func parseGroupName() throws(LinearRegex.Error) -> String {
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
}
