import ConformHTTP
import ConformJSON
import ConformSupport
import CYaml
import Yams

/// Reads a YAML suite file into the same located ``JSONNode`` tree as ``JSONNodeParser``, so that every
/// diagnostic of the loader reads `file:line:column` alike for both formats.
///
/// Only the JSON-compatible part of YAML is accepted: strings, numbers, booleans, null, mappings with string
/// keys and sequences. Plain scalars are typed by Yams' default resolver (YAML 1.1: `yes`/`no`/`on`/`off`
/// are booleans, `010` is the octal number 8, `~` is null); quoted and block scalars are always strings.
///
/// The reader walks libyaml's events (the parser Yams is built on) without recursion, because Yams' own
/// composer hashes every mapping key, which costs time exponential in alias nesting when an alias is a key.
/// Hostile files are bounded: nesting as deep as JSON's limit, at most ``maximumAliasExpansion`` values
/// repeated by aliases in all (a "billion laughs" file stops at the alias that passes it), and the file size
/// limit of every input file (``InputFile/maximumBytes``).
struct YAMLNodeReader {
    static let maximumDepth = JSONNodeParser.maximumDepth
    /// How many values aliases may repeat in one file, counted with everything they contain.
    static let maximumAliasExpansion = 10_000

    /// A container being read: its values so far, its anchor, how many values it holds with everything in it.
    private struct Frame {
        var location: SourceLocation
        var anchor: String?
        var isMapping: Bool
        var items: [JSONNode] = []
        var members: [JSONNode.Member] = []
        var pendingKey: (key: String, location: SourceLocation)?
        var size = 1
    }

    private var stack: [Frame] = []
    private var anchors: [String: (node: JSONNode, size: Int)] = [:]
    private var aliasExpansion = 0
    private var root: JSONNode?

    /// Parses one YAML document (a file holds exactly one).
    static func parse(_ bytes: [UInt8]) throws(JSONNodeParser.SyntaxError) -> JSONNode {
        var reader = YAMLNodeReader()
        let result: Result<JSONNode, JSONNodeParser.SyntaxError> = bytes.withUnsafeBufferPointer { buffer in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else {
                return .failure(.init(message: "cannot start the YAML parser", location: .init(line: 1, column: 1)))
            }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            do throws(JSONNodeParser.SyntaxError) {
                return .success(try reader.read(&parser))
            } catch {
                return .failure(error)
            }
        }
        return try result.mapError { clamped($0, in: bytes) }.get()
    }

    /// libyaml places the end of a file without a final line break on the line after it: such an error is
    /// moved to the end of the last line, where an editor can show it.
    private static func clamped(_ error: JSONNodeParser.SyntaxError, in bytes: [UInt8]) -> JSONNodeParser.SyntaxError {
        let lastBreak = bytes.lastIndex(of: UInt8(ascii: "\n"))
        let lines = bytes.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        guard error.location.line > lines else { return error }
        let lastLine = bytes[(lastBreak.map { $0 + 1 } ?? 0)...]
        let columns = lastLine.reduce(0) { $1 & 0xC0 != 0x80 ? $0 + 1 : $0 }
        return JSONNodeParser.SyntaxError(
            message: error.message, location: SourceLocation(line: lines, column: columns + 1))
    }

    private mutating func read(_ parser: inout yaml_parser_t) throws(JSONNodeParser.SyntaxError) -> JSONNode {
        var documents = 0
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else { throw Self.parserError(parser) }
            defer { yaml_event_delete(&event) }
            let location = Self.location(event.start_mark)
            switch event.type {
            case YAML_STREAM_END_EVENT:
                guard let root else { throw Self.error("expected a YAML document, found end of file", at: location) }
                return root
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 {
                    throw Self.error("a suite file holds one YAML document; found a second one ('---')", at: location)
                }
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                let text = Self.string(scalar.value, length: scalar.length)
                let tag = Self.optionalString(scalar.tag)
                let plain = scalar.style == YAML_PLAIN_SCALAR_STYLE && scalar.plain_implicit == 1 && tag == nil
                let value = try Self.scalarValue(text, plain: plain, tag: tag, at: location)
                try add(JSONNode(value: value, location: location), size: 1, anchor: Self.optionalString(scalar.anchor))
            case YAML_ALIAS_EVENT:
                let name = Self.optionalString(event.data.alias.anchor) ?? ""
                guard let anchored = anchors[name] else { throw Self.error("unknown alias '*\(name)'", at: location) }
                aliasExpansion += anchored.size
                if aliasExpansion > Self.maximumAliasExpansion {
                    throw Self.error(Self.aliasBomb, at: location)
                }
                var node = anchored.node
                node.location = location
                try add(node, size: anchored.size, anchor: nil)
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                let isMapping = event.type == YAML_MAPPING_START_EVENT
                let tag = Self.optionalString(isMapping ? event.data.mapping_start.tag : event.data.sequence_start.tag)
                let expected = isMapping ? Yams.Tag.Name.map.rawValue : Yams.Tag.Name.seq.rawValue
                if let tag, tag != expected, tag != "!" { throw Self.error(Self.unsupportedTag(tag), at: location) }
                if stack.count >= Self.maximumDepth {
                    throw Self.error("nesting deeper than \(Self.maximumDepth) levels", at: location)
                }
                let anchor = Self.optionalString(
                    isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor)
                stack.append(Frame(location: location, anchor: anchor, isMapping: isMapping))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let frame = stack.popLast() else { continue }
                let value: JSONNode.Value = frame.isMapping ? .object(frame.members) : .array(frame.items)
                try add(JSONNode(value: value, location: frame.location), size: frame.size, anchor: frame.anchor)
            default:
                continue
            }
        }
    }

    /// Puts a finished value into the container being read (as a key or a value), or makes it the root.
    private mutating func add(_ node: JSONNode, size: Int, anchor: String?) throws(JSONNodeParser.SyntaxError) {
        if let anchor { anchors[anchor] = (node, size) }
        guard var frame = stack.popLast() else {
            root = node
            return
        }
        defer { stack.append(frame) }
        frame.size += size
        guard frame.isMapping else {
            frame.items.append(node)
            return
        }
        if let key = frame.pendingKey {
            frame.members.append(JSONNode.Member(key: key.key, keyLocation: key.location, value: node))
            frame.pendingKey = nil
            return
        }
        guard case .string(let key) = node.value, size == 1 else {
            throw Self.error(
                "a mapping key must be a string, got \(node.typeDescription) (quote it)", at: node.location)
        }
        frame.pendingKey = (key, node.location)
    }

    /// The JSON value of a scalar: plain scalars are typed like Yams types them, everything else is a string.
    private static func scalarValue(
        _ text: String, plain: Bool, tag: String?, at location: SourceLocation
    ) throws(JSONNodeParser.SyntaxError) -> JSONNode.Value {
        if let tag, tag != Yams.Tag.Name.str.rawValue, tag != "!" { throw error(unsupportedTag(tag), at: location) }
        guard plain else { return .string(text) }
        // ConformKit has its own `Resolver` (DNS): Yams' names are written in full here.
        let node = Yams.Node(text)
        switch Yams.Resolver.default.resolveTag(of: node) {
        case .null: return .null
        case .bool: return node.bool.map(JSONNode.Value.bool) ?? .string(text)
        case .int, .float:
            guard let number = node.int.map(Double.init) ?? node.float, number.isFinite else {
                throw error("number \(text) is out of range (quote it for a string)", at: location)
            }
            return .number(number)
        case .merge:
            throw error("merge keys ('<<') are not supported; share parts with 'blocks' and 'use'", at: location)
        default: return .string(text)
        }
    }

    static let aliasBomb =
        "aliases repeat more than \(maximumAliasExpansion) values in this file; share parts with 'blocks' and 'use'"

    static func unsupportedTag(_ tag: String) -> String {
        let shown = tag.hasPrefix("tag:yaml.org,2002:") ? "!!" + tag.dropFirst("tag:yaml.org,2002:".count) : tag
        return
            "tag '\(shown)' is not supported: a suite holds only JSON values (strings, numbers, booleans, null, mappings, sequences)"
    }

    private static func error(_ message: String, at location: SourceLocation) -> JSONNodeParser.SyntaxError {
        JSONNodeParser.SyntaxError(message: message, location: location)
    }

    private static func parserError(_ parser: yaml_parser_t) -> JSONNodeParser.SyntaxError {
        let problem = optionalString(parser.problem.map { UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self) })
        let context = optionalString(parser.context.map { UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self) })
        // libyaml's scanner stops at 1000 levels before the events reach this reader's own limit.
        if problem?.hasPrefix("Maximum nesting level reached") == true {
            return error("nesting deeper than \(maximumDepth) levels", at: location(parser.problem_mark))
        }
        let message = (problem ?? "malformed YAML") + (context.map { " (\($0))" } ?? "")
        return error(message, at: location(parser.problem_mark))
    }

    private static func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, length: Int) -> String {
        guard let pointer else { return "" }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    private static func optionalString(_ pointer: UnsafePointer<UInt8>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func optionalString(_ pointer: UnsafeMutablePointer<UInt8>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}
