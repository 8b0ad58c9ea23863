import ConformJSON
import ConformSupport

/// The value being validated, flattened into numbered nodes.
///
/// Numbers let the validator remember a result per (schema, node), which keeps `anyOf`/`oneOf`/`not` over
/// recursive schemas from evaluating the same pair again and again, and let it find a node's field path
/// only when a violation needs it. Each object key also gets a node of its own, a string that
/// `propertyNames` validates. Built without recursion, so any depth is safe here.
struct InstanceTree {
    struct Node {
        var value: JSONValue
        /// -1 for the root.
        var parent: Int
        /// The key or index under the parent; nil for the root and for key nodes.
        var component: FieldPath.Component?
        /// A node that stands for an object's key rather than for a value.
        var isPropertyName = false
        /// Items in order, or members in key order.
        var children: [Int] = []
        /// For an object: its keys, sorted, parallel to `children` and `names`.
        var keys: [String] = []
        /// For an object: the key nodes, parallel to `keys`.
        var names: [Int] = []
    }

    private(set) var nodes: [Node] = []

    init(_ root: JSONValue) {
        nodes.append(Node(value: root, parent: -1, component: nil))
        var pending = [0]
        while let index = pending.popLast() {
            switch nodes[index].value {
            case .array(let items):
                var children: [Int] = []
                children.reserveCapacity(items.count)
                for (offset, item) in items.enumerated() {
                    children.append(nodes.count)
                    nodes.append(Node(value: item, parent: index, component: .index(offset)))
                }
                nodes[index].children = children
                pending += children
            case .object(let members):
                let keys = members.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
                var children: [Int] = []
                var names: [Int] = []
                for key in keys {
                    children.append(nodes.count)
                    nodes.append(Node(value: members[key] ?? .null, parent: index, component: .key(key)))
                    names.append(nodes.count)
                    nodes.append(Node(value: .string(key), parent: index, component: nil, isPropertyName: true))
                }
                nodes[index].keys = keys
                nodes[index].children = children
                nodes[index].names = names
                pending += children
            default:
                break
            }
        }
    }

    /// The member `key` of the object at `node`, if present.
    func member(_ key: String, of node: Int) -> Int? {
        let keys = nodes[node].keys
        var low = 0
        var high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if keys[middle].unicodeScalars.lexicographicallyPrecedes(key.unicodeScalars) {
                low = middle + 1
            } else {
                high = middle
            }
        }
        guard low < keys.count, keys[low].unicodeScalars.elementsEqual(key.unicodeScalars) else { return nil }
        return nodes[node].children[low]
    }

    /// The node's field path (`a.b[0]`), empty for the root; a key node has its object's path.
    func path(of node: Int) -> String {
        var components: [FieldPath.Component] = []
        var current = node
        while current >= 0 {
            if let component = nodes[current].component { components.append(component) }
            current = nodes[current].parent
        }
        return FieldPath(components: components.reversed()).description
    }
}
