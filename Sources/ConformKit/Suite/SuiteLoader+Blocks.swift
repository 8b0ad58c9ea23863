import ConformJSON
import ConformSupport

/// Shared blocks: a suite names request and expectation blocks once (`"blocks"`), and a case's `request`,
/// `expect` or `warn` takes them with `"use": "name"` (or a list, applied in order). The case's own keys
/// override the block's; objects such as `form`, `headers` or `fields` are merged key by key. Blocks may
/// use other blocks. Every key keeps its place in the file, so a problem in a block is reported where the
/// block says it.
extension SuiteFileReader {
    static let maximumBlockDepth = 16
    /// The most JSON values the blocks merged into one suite's cases may copy, all uses together: far more
    /// than any real suite needs (a block of 50 values used by 20,000 cases), and a bound on what 16 blocks
    /// that each use the next four times would otherwise make of 1.6 KB of suite (4^15 copies per case).
    static let maximumMergedValues = 1_000_000

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
    ///
    /// Each block is resolved once (``BlockResolutions``): a suite whose blocks each use the next several
    /// times costs one merge per use, not one per path through them. Every merge counts the JSON values it
    /// copies, and past ``maximumMergedValues`` in one suite the `use` that goes over is an error.
    func resolvingUses(_ node: JSONNode) -> JSONNode? {
        resolvingUses(node, depth: 0)
    }

    private func resolvingUses(_ node: JSONNode, depth: Int) -> JSONNode? {
        guard case .object(let members) = node.value, let use = members.first(where: { $0.key == "use" }) else {
            return node
        }
        guard depth < Self.maximumBlockDepth else {
            sink.error(Self.tooDeep, at: use.keyLocation)
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
            guard let block = resolvedBlock(name, at: location, depth: depth + 1) else { return nil }
            blockResolutions.mergedValues += block.size
            guard blockResolutions.mergedValues <= Self.maximumMergedValues else {
                if !blockResolutions.reportedTooLarge {
                    blockResolutions.reportedTooLarge = true
                    sink.error(
                        "the blocks merged into this suite would copy more than \(Self.maximumMergedValues) JSON values "
                            + "(each use of a block counts the values it brings)",
                        at: location)
                }
                return nil
            }
            merged = Self.merge(merged, block.node)
        }
        let own = JSONNode(value: .object(members.filter { $0.key != "use" }), location: node.location)
        return Self.merge(merged, own)
    }

    /// The block named `name` with its own uses merged in, resolved on its first use; `depth` is how deep
    /// the use is (blocks used by the case itself are at depth 1).
    private func resolvedBlock(_ name: String, at location: SourceLocation, depth: Int) -> BlockResolutions.Resolved? {
        guard let block = blocks[name] else {
            let hint = Suggestion.hint(for: name, in: Array(blocks.keys))
            sink.error("no block named '\(name)'\(hint)", at: location)
            return nil
        }
        switch blockResolutions.states[name] {
        case .resolved(let resolved):
            // Its own chain of uses, from here, may be too deep even when it was not where it was resolved.
            guard depth + resolved.height <= Self.maximumBlockDepth else {
                sink.error(Self.tooDeep, at: location)
                return nil
            }
            return resolved
        case .resolving:
            sink.error(Self.tooDeep, at: location)  // a cycle
            return nil
        case .failed:
            return nil  // reported when it failed
        case nil:
            break
        }
        blockResolutions.states[name] = .resolving
        guard let node = resolvingUses(block, depth: depth) else {
            blockResolutions.states[name] = .failed
            return nil
        }
        // The blocks it uses are resolved now: its height is one more than the highest of theirs.
        var height = 0
        if case .object(let members) = block.value, let use = members.first(where: { $0.key == "use" }) {
            height = 1 + (Self.usedNames(use.value).compactMap { blockResolutions.states[$0]?.height }.max() ?? 0)
        }
        let resolved = BlockResolutions.Resolved(node: node, height: height, size: node.valueCount)
        blockResolutions.states[name] = .resolved(resolved)
        return resolved
    }

    private static func usedNames(_ node: JSONNode) -> [String] {
        switch node.value {
        case .string(let name): [name]
        case .array(let items): items.compactMap { if case .string(let name) = $0.value { name } else { nil } }
        default: []
        }
    }

    private static let tooDeep = "blocks use each other more than \(maximumBlockDepth) deep (a cycle?)"

    /// `overlay`'s members over `base`'s; two objects under one key are merged the same way. Linear in the
    /// two objects' members (a key's place is looked up, not searched for).
    static func merge(_ base: JSONNode, _ overlay: JSONNode) -> JSONNode {
        guard case .object(var members) = base.value, case .object(let extra) = overlay.value else { return overlay }
        var places: [String: Int] = [:]
        for (index, member) in members.enumerated() where places[member.key] == nil { places[member.key] = index }
        for member in extra {
            if let index = places[member.key] {
                let existing = members[index].value
                if case .object = existing.value, case .object = member.value.value {
                    members[index].value = merge(existing, member.value)
                } else {
                    members[index] = member
                }
            } else {
                places[member.key] = members.count
                members.append(member)
            }
        }
        return JSONNode(value: .object(members), location: overlay.location)
    }
}

/// The blocks of one suite file as they are resolved, each once, and the work their merges have done.
final class BlockResolutions {
    struct Resolved {
        var node: JSONNode
        /// How many blocks deep its chain of uses goes (0 when it uses none).
        var height: Int
        /// The JSON values it holds, which each use of it copies.
        var size: Int
    }

    enum State {
        case resolving
        case resolved(Resolved)
        case failed

        var height: Int? {
            if case .resolved(let resolved) = self { return resolved.height }
            return nil
        }
    }

    var states: [String: State] = [:]
    /// JSON values copied by merges so far.
    var mergedValues = 0
    var reportedTooLarge = false
}

extension JSONNode {
    /// How many JSON values the node holds, itself included.
    var valueCount: Int {
        var count = 0
        var pending = [self]
        while let node = pending.popLast() {
            count += 1
            switch node.value {
            case .object(let members): pending += members.map(\.value)
            case .array(let items): pending += items
            default: break
            }
        }
        return count
    }
}
