import ConformJSON
import ConformSupport

/// Reads one JSON object of a suite file: typed members, missing and unknown keys, all as diagnostics.
///
/// Unknown and duplicate keys are reported when the reader is made; a wrong type is reported where the
/// value starts, and the accessor returns `nil` so that loading goes on and finds further problems.
struct ObjectReader {
    let location: SourceLocation
    /// How the object is named in messages: "suite", "case 'refresh'", "expect".
    let context: String
    let sink: DiagnosticSink
    private let members: [String: JSONNode.Member]
    let orderedKeys: [String]

    init?(_ node: JSONNode, context: String, allowed: [String], sink: DiagnosticSink) {
        guard case .object(let members) = node.value else {
            sink.error("\(context) must be an object, got \(node.typeDescription)", at: node.location)
            return nil
        }
        var byKey: [String: JSONNode.Member] = [:]
        var ordered: [String] = []
        for member in members {
            if byKey[member.key] != nil {
                sink.error("duplicate key '\(member.key)' in \(context)", at: member.keyLocation)
                continue
            }
            if !allowed.contains(member.key) {
                let hint = Suggestion.hint(for: member.key, in: allowed)
                sink.error(
                    "unknown key '\(member.key)' in \(context)\(hint) (allowed: \(allowed.joined(separator: ", ")))",
                    at: member.keyLocation)
                continue
            }
            byKey[member.key] = member
            ordered.append(member.key)
        }
        self.location = node.location
        self.context = context
        self.sink = sink
        self.members = byKey
        self.orderedKeys = ordered
    }

    /// Members in file order, for objects whose keys are names chosen by the author (variables, headers).
    static func entries(_ node: JSONNode, context: String, sink: DiagnosticSink) -> [JSONNode.Member]? {
        guard case .object(let members) = node.value else {
            sink.error("\(context) must be an object, got \(node.typeDescription)", at: node.location)
            return nil
        }
        var seen: Set<String> = []
        return members.filter { member in
            guard seen.insert(member.key).inserted else {
                sink.error("duplicate key '\(member.key)' in \(context)", at: member.keyLocation)
                return false
            }
            return true
        }
    }

    func has(_ key: String) -> Bool { members[key] != nil }

    func node(_ key: String, required: Bool = false) -> JSONNode? {
        guard let member = members[key] else {
            if required { sink.error("missing required key '\(key)' in \(context)", at: location) }
            return nil
        }
        return member.value
    }

    func string(_ key: String, required: Bool = false, nonEmpty: Bool = false) -> String? {
        guard let node = node(key, required: required) else { return nil }
        guard case .string(let text) = node.value else {
            typeError(key, "a string", node)
            return nil
        }
        if nonEmpty && text.trimmingCharacters(in: .whitespaces).isEmpty {
            sink.error("'\(key)' in \(context) must not be empty", at: node.location)
            return nil
        }
        return text
    }

    func bool(_ key: String) -> Bool? {
        guard let node = node(key) else { return nil }
        guard case .bool(let value) = node.value else {
            typeError(key, "a boolean", node)
            return nil
        }
        return value
    }

    func integer(_ key: String) -> Int? {
        guard let node = node(key) else { return nil }
        guard case .number(let value) = node.value, value.rounded() == value, abs(value) < 1e9 else {
            typeError(key, "an integer", node)
            return nil
        }
        return Int(value)
    }

    func object(_ key: String, allowed: [String], required: Bool = false, context: String? = nil) -> ObjectReader? {
        guard let node = node(key, required: required) else { return nil }
        return ObjectReader(node, context: context ?? "'\(key)'", allowed: allowed, sink: sink)
    }

    func array(_ key: String) -> [JSONNode]? {
        guard let node = node(key) else { return nil }
        guard case .array(let items) = node.value else {
            typeError(key, "an array", node)
            return nil
        }
        return items
    }

    func typeError(_ key: String, _ expected: String, _ node: JSONNode) {
        sink.error("'\(key)' in \(context) must be \(expected), got \(node.typeDescription)", at: node.location)
    }
}
