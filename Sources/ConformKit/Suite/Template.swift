/// A string from a suite file with `${…}` references, resolved when a case is prepared.
///
/// - `${name}`: a suite variable or a capture from an earlier case.
/// - `${env:NAME}`: an environment variable; only allowed in a variable's `value`.
/// - `${uuid()}`, `${now_epoch()}`, `${random_hex(16)}`…: a ``TemplateFunction``, evaluated anew for every
///   request sent.
/// - `$${` writes a literal `${`.
struct Template: Sendable, Hashable, CustomStringConvertible {
    enum Segment: Sendable, Hashable {
        case literal(String)
        case variable(String)
        case capture(String)
        case environment(String)
        case function(TemplateFunction)
    }

    /// A reference written `${name}` before the loader knows whether it names a variable or a capture.
    enum ParseError: Error, Sendable, Equatable {
        case unterminated(offset: Int)
        case invalidName(String)
        case unknownNamespace(String)
        case unknownFunction(String)
        case badFunctionCall(String)
        case badFunctionArgument(String)
    }

    var segments: [Segment]
    /// The text as written in the suite, used in messages (never a resolved value).
    var source: String

    init(literal: String) {
        segments = literal.isEmpty ? [] : [.literal(literal)]
        source = literal.replacingOccurrences(of: "${", with: "$${")
    }

    init(segments: [Segment], source: String) {
        self.segments = segments
        self.source = source
    }

    var description: String { source }

    /// Parses the text; plain `${name}` references come back as `.variable` for the loader to classify.
    static func parse(_ text: String) throws(ParseError) -> Template {
        var segments: [Segment] = []
        var literal = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            literal += rest[..<dollar]
            let afterDollar = rest[dollar...].dropFirst()
            if afterDollar.hasPrefix("${") {
                literal += "${"
                rest = afterDollar.dropFirst(2)
                continue
            }
            guard afterDollar.hasPrefix("{") else {
                literal += "$"
                rest = afterDollar
                continue
            }
            let body = afterDollar.dropFirst()
            guard let close = body.firstIndex(of: "}") else {
                throw .unterminated(offset: text.distance(from: text.startIndex, to: dollar))
            }
            let reference = String(body[..<close])
            if !literal.isEmpty {
                segments.append(.literal(literal))
                literal = ""
            }
            segments.append(try parseReference(reference))
            rest = body[body.index(after: close)...]
        }
        literal += rest
        if !literal.isEmpty { segments.append(.literal(literal)) }
        return Template(segments: segments, source: text)
    }

    private static func parseReference(_ reference: String) throws(ParseError) -> Segment {
        if let function = try TemplateFunction.parse(reference) { return .function(function) }
        if let colon = reference.firstIndex(of: ":") {
            let namespace = String(reference[..<colon])
            let name = String(reference[reference.index(after: colon)...])
            guard namespace == "env" else { throw .unknownNamespace(namespace) }
            guard isName(name) else { throw .invalidName(reference) }
            return .environment(name)
        }
        guard isName(reference) else { throw .invalidName(reference) }
        return .variable(reference)
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`: the names of variables, captures and environment variables.
    static func isName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic)
        else { return false }
        return text.unicodeScalars.allSatisfy {
            $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)))
        }
    }

    /// Every reference in the template, in order.
    var references: [Segment] {
        segments.filter { if case .literal = $0 { false } else { true } }
    }

    /// `true` when the template has no references.
    var isLiteral: Bool { references.isEmpty }

    /// Renders the template; `nil` as soon as one reference has no value.
    func render(_ lookup: (Segment) -> String?) -> String? {
        var result = ""
        for segment in segments {
            if case .literal(let text) = segment {
                result += text
            } else if let value = lookup(segment) {
                result += value
            } else {
                return nil
            }
        }
        return result
    }
}

extension Template.ParseError: CustomStringConvertible {
    var description: String {
        switch self {
        case .unterminated(let offset): "unterminated '${' at offset \(offset) (write '$${' for a literal '${')"
        case .invalidName(let name): "'${\(name)}' is not a valid reference: names are letters, digits and '_'"
        case .unknownNamespace(let namespace): "unknown reference namespace '\(namespace):' (only 'env:' exists)"
        case .unknownFunction(let name):
            "unknown function '\(name)()'\(TemplateFunction.hint(for: name)) (functions: \(TemplateFunction.signatures.joined(separator: ", ")))"
        case .badFunctionCall(let reference): "'${\(reference)}' is not a function call such as '${uuid()}'"
        case .badFunctionArgument(let message): message
        }
    }
}
