import ConformJSON
import Foundation

/// JSON pointers (RFC 6901) as `$ref` uses them: `#`, `#/$defs/name`, `#/properties/a~1b`, `#/$defs/a%25b`.
enum JSONPointer {
    /// Why a `$ref` cannot be followed.
    enum ReferenceProblem: Error {
        /// Another document, or a URI that is not a fragment of this one.
        case remote
        /// `#name`: a plain-name fragment, which needs `$anchor`.
        case anchor(String)
        case invalidPercentEncoding
        case invalidEscape

        func message(for text: String) -> String {
            let quoted = JSONValue.quoted(text)
            let documentation = JSONSchemaVocabulary.documentation
            switch self {
            case .remote:
                return "unsupported $ref \(quoted): conform resolves only references within the same document "
                    + "(\"#\" and a JSON pointer), not other files or URIs (see \(documentation))"
            case .anchor(let name):
                return "unsupported $ref \(quoted): anchors are not supported; use a JSON pointer such as "
                    + "\"#/$defs/\(name)\" (see \(documentation))"
            case .invalidPercentEncoding:
                return "invalid $ref \(quoted): bad percent-encoding in the fragment"
            case .invalidEscape:
                return "invalid $ref \(quoted): in a JSON pointer \"~\" must be followed by \"0\" or \"1\""
            }
        }
    }

    /// The tokens of a same-document reference (`#/a/b` → `["a", "b"]`; `#` → `[]`).
    static func parseReference(_ text: String) -> Result<[String], ReferenceProblem> {
        if text.isEmpty { return .success([]) }  // the empty reference is the document itself
        guard text.hasPrefix("#") else { return .failure(.remote) }
        let encoded = String(text.dropFirst())
        guard let fragment = encoded.utf8.contains(UInt8(ascii: "%")) ? encoded.removingPercentEncoding : encoded
        else {
            return .failure(.invalidPercentEncoding)
        }
        if fragment.isEmpty { return .success([]) }
        guard fragment.hasPrefix("/") else { return .failure(.anchor(fragment)) }
        var tokens: [String] = []
        for part in fragment.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            guard let token = unescape(part) else { return .failure(.invalidEscape) }
            tokens.append(token)
        }
        return .success(tokens)
    }

    private static func unescape(_ token: Substring) -> String? {
        var result = ""
        var index = token.startIndex
        while index < token.endIndex {
            let character = token[index]
            index = token.index(after: index)
            guard character == "~" else {
                result.append(character)
                continue
            }
            guard index < token.endIndex else { return nil }
            switch token[index] {
            case "0": result.append("~")
            case "1": result.append("/")
            default: return nil
            }
            index = token.index(after: index)
        }
        return result
    }

    /// `/a~1b/0` for `["a/b", "0"]`; the empty string for the root.
    static func text(of tokens: [String]) -> String {
        tokens.map(escaped).joined()
    }

    /// `/a~1b` for the token `a/b`. Most tokens need no escape: Foundation's search (most of the time of
    /// compiling a schema of 100,000 definitions) runs only for those that do.
    static func escaped(_ token: String) -> String {
        guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else {
            return "/" + token
        }
        return "/" + token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}

/// Follows JSON pointers into one document, indexing each object's members the first time a pointer goes
/// through it: N pointers into an object of N members cost N lookups, not N × N comparisons (a schema of
/// 100,000 `$defs` that refer to each other compiled in quadratic time before).
struct JSONPointerResolver {
    let root: JSONNode
    /// An object's pointer → its members by key (the last of a repeated key).
    private var objects: [String: [String: JSONNode]] = [:]
    /// Members indexed and steps followed so far; tests bound it.
    private(set) var work = 0

    init(root: JSONNode) {
        self.root = root
    }

    /// The node the tokens lead to, or what is missing: `no "b" in "#/$defs"`.
    mutating func resolve(_ tokens: [String]) -> Result<JSONNode, Missing> {
        var node = root
        var pointer = ""
        for token in tokens {
            let next: JSONNode?
            switch node.value {
            case .object(let members):
                if objects[pointer] == nil {
                    var byKey: [String: JSONNode] = [:]
                    for member in members { byKey[member.key] = member.value }
                    objects[pointer] = byKey
                    work += members.count
                }
                work += 1
                next = objects[pointer]?[token]
                if next == nil {
                    return .failure(Missing("no \(JSONValue.quoted(token)) in \(JSONValue.quoted("#" + pointer))"))
                }
            case .array(let items):
                if let index = Int(token), String(index) == token, items.indices.contains(index) {
                    next = items[index]
                } else {
                    return .failure(Missing("no item \(JSONValue.quoted(token)) in \(JSONValue.quoted("#" + pointer))"))
                }
            default:
                return .failure(
                    Missing("\(JSONValue.quoted("#" + pointer)) is \(node.typeDescription), not an object or an array"))
            }
            if let next { node = next }
            pointer += JSONPointer.escaped(token)
        }
        return .success(node)
    }

    /// Which step of a pointer fails, in words.
    struct Missing: Error {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
