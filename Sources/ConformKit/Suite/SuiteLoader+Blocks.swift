/// Shared blocks: a suite names request and expectation blocks once (`"blocks"`), and a case's `request`,
/// `expect` or `warn` takes them with `"use": "name"` (or a list, applied in order). The case's own keys
/// override the block's; objects such as `form`, `headers` or `fields` are merged key by key. Blocks may
/// use other blocks. Every key keeps its place in the file, so a problem in a block is reported where the
/// block says it.
extension SuiteFileReader {
    static let maximumBlockDepth = 16

    /// Reads `"blocks": {"name": {…}}`.
    mutating func readBlocks(_ node: JSONNode) {
        guard let entries = ObjectReader.entries(node, context: "'blocks'", sink: sink) else { return }
        for entry in entries {
            guard Template.isName(entry.key) else {
                sink.error("block name '\(entry.key)' must be letters, digits and '_'", at: entry.keyLocation)
                continue
            }
            guard case .object = entry.value.value else {
                sink.error(
                    "block '\(entry.key)' must be an object, got \(entry.value.typeDescription)", at: entry.value.location)
                continue
            }
            blocks[entry.key] = entry.value
        }
    }

    /// The object with the blocks it uses merged in; `nil` when a block name is unknown (reported).
    func resolvingUses(_ node: JSONNode, depth: Int = 0) -> JSONNode? {
        guard case .object(let members) = node.value, let use = members.first(where: { $0.key == "use" }) else {
            return node
        }
        guard depth < Self.maximumBlockDepth else {
            sink.error("blocks use each other more than \(Self.maximumBlockDepth) deep (a cycle?)", at: use.keyLocation)
            return nil
        }
        let names: [(String, SourceLocation)]
        switch use.value.value {
        case .string(let name): names = [(name, use.value.location)]
        case .array(let items):
            names = items.compactMap { item in
                if case .string(let name) = item.value { return (name, item.location) }
                sink.error("'use' names blocks: a string or an array of strings", at: item.location)
                return nil
            }
        default:
            sink.error("'use' names blocks: a string or an array of strings", at: use.value.location)
            return nil
        }
        var merged = JSONNode(value: .object([]), location: node.location)
        for (name, location) in names {
            guard let block = blocks[name] else {
                let hint = Suggestion.hint(for: name, in: Array(blocks.keys))
                sink.error("no block named '\(name)'\(hint)", at: location)
                return nil
            }
            guard let resolved = resolvingUses(block, depth: depth + 1) else { return nil }
            merged = Self.merge(merged, resolved)
        }
        let own = JSONNode(value: .object(members.filter { $0.key != "use" }), location: node.location)
        return Self.merge(merged, own)
    }

    /// `overlay`'s members over `base`'s; two objects under one key are merged the same way.
    static func merge(_ base: JSONNode, _ overlay: JSONNode) -> JSONNode {
        guard case .object(var members) = base.value, case .object(let extra) = overlay.value else { return overlay }
        for member in extra {
            if let index = members.firstIndex(where: { $0.key == member.key }) {
                let existing = members[index].value
                if case .object = existing.value, case .object = member.value.value {
                    members[index].value = merge(existing, member.value)
                } else {
                    members[index] = member
                }
            } else {
                members.append(member)
            }
        }
        return JSONNode(value: .object(members), location: overlay.location)
    }
}
