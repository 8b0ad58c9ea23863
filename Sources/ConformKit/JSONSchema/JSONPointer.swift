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
        guard let fragment = String(text.dropFirst()).removingPercentEncoding else {
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
        tokens.map { "/" + $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }
            .joined()
    }

    /// The node the tokens lead to, or nil.
    static func resolve(_ tokens: [String], in root: JSONNode) -> JSONNode? {
        var node = root
        for token in tokens {
            guard let next = child(token, of: node) else { return nil }
            node = next
        }
        return node
    }

    /// Which step of the pointer fails, in words: `no "b" in "#/$defs"`.
    static func missingPart(of tokens: [String], in root: JSONNode) -> String {
        var node = root
        for (offset, token) in tokens.enumerated() {
            guard let next = child(token, of: node) else {
                let parent = "#" + text(of: Array(tokens[..<offset]))
                switch node.value {
                case .object: return "no \(JSONValue.quoted(token)) in \(JSONValue.quoted(parent))"
                case .array: return "no item \(JSONValue.quoted(token)) in \(JSONValue.quoted(parent))"
                default: return "\(JSONValue.quoted(parent)) is \(node.typeDescription), not an object or an array"
                }
            }
            node = next
        }
        return "nothing missing"
    }

    private static func child(_ token: String, of node: JSONNode) -> JSONNode? {
        switch node.value {
        case .object(let members):
            return members.last { $0.key == token }?.value
        case .array(let items):
            guard let index = Int(token), String(index) == token, items.indices.contains(index) else { return nil }
            return items[index]
        default:
            return nil
        }
    }
}
