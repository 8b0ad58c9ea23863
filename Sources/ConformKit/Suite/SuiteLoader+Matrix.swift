import ConformJSON
import ConformSupport
import Foundation

/// `"each": [{"tenant": "a"}, {"tenant": "b"}]`: one case written once, run once per row of values.
///
/// A case with `each` becomes one case per row when the suite is read, named `NAME [tenant=a]` (the row's
/// values as written, in the row's order), so that selection, baselines and reports treat each row as a case
/// of its own. In every string of the case's own text, `${tenant}` is replaced by the row's value before the
/// case is read; a value may itself hold references (`"${client_id}"`), which then resolve like any other, and
/// a name shows the reference, never its value (so a secret stays masked). Shared blocks named by `use` are
/// not rewritten.
extension SuiteFileReader {
    static let maximumRows = 100

    /// One row: variable name → its value as text, in the row's order, with where each name is written.
    struct MatrixRow {
        var values: [(name: String, value: String, location: SourceLocation)]
        var label: String { values.map { "\($0.name)=\($0.value)" }.joined(separator: ", ") }
    }

    /// The case node itself when it has no `each`; otherwise one node per row, or none after a diagnostic.
    func expandingRows(_ node: JSONNode) -> [JSONNode] {
        guard case .object(let members) = node.value, let each = members.first(where: { $0.key == "each" }) else {
            return [node]
        }
        guard let rows = readRows(each.value) else { return [] }
        if let capture = members.first(where: { $0.key == "capture" }) {
            sink.error(
                "a case with 'each' cannot 'capture': every row would set the same capture", at: capture.keyLocation)
            return []
        }
        let others = members.filter { $0.key != "each" }
        var used: Set<String> = []
        let expanded = rows.map { row -> JSONNode in
            var node = JSONNode(value: .object(others), location: node.location)
            node = substitute(row, in: node, used: &used)
            return renamed(node, label: row.label)
        }
        for (name, _, location) in rows[0].values where !used.contains(name) {
            sink.error("row variable '\(name)' is not used by the case (write ${\(name)} where it goes)", at: location)
        }
        return used.count == rows[0].values.count ? expanded : []
    }

    private func readRows(_ node: JSONNode) -> [MatrixRow]? {
        guard case .array(let items) = node.value else {
            sink.error(
                "'each' must be an array of rows such as {\"tenant\": \"a\"}, got \(node.typeDescription)",
                at: node.location)
            return nil
        }
        guard !items.isEmpty else {
            sink.error("'each' must hold at least one row", at: node.location)
            return nil
        }
        guard items.count <= Self.maximumRows else {
            sink.error("'each' holds \(items.count) rows, more than \(Self.maximumRows)", at: node.location)
            return nil
        }
        var rows: [MatrixRow] = []
        for item in items {
            guard let entries = ObjectReader.entries(item, context: "a row of 'each'", sink: sink) else { return nil }
            var row = MatrixRow(values: [])
            for entry in entries {
                guard Template.isName(entry.key) else {
                    sink.error("row variable '\(entry.key)' must be letters, digits and '_'", at: entry.keyLocation)
                    return nil
                }
                if variableNames.contains(entry.key) {
                    sink.error(
                        "row variable '\(entry.key)' has the name of a suite variable; give it its own name",
                        at: entry.keyLocation)
                    return nil
                }
                let text: String
                switch entry.value.value {
                case .string(let string): text = string
                case .number(let number): text = JSONValue.format(number)
                case .bool(let bool): text = String(bool)
                default:
                    sink.error(
                        "row variable '\(entry.key)' must be a string, number or boolean, got \(entry.value.typeDescription)",
                        at: entry.value.location)
                    return nil
                }
                row.values.append((entry.key, text, entry.keyLocation))
            }
            if let first = rows.first, first.values.map(\.name) != row.values.map(\.name) {
                sink.error(
                    "every row of 'each' names the same variables in the same order: expected \(first.values.map(\.name)), got \(row.values.map(\.name))",
                    at: item.location)
                return nil
            }
            if row.values.isEmpty {
                sink.error("a row of 'each' names at least one variable", at: item.location)
                return nil
            }
            rows.append(row)
        }
        return rows
    }

    /// The node with `${name}` replaced by the row's values in every string; `$${` stays as written.
    private func substitute(_ row: MatrixRow, in node: JSONNode, used: inout Set<String>) -> JSONNode {
        var node = node
        switch node.value {
        case .string(let text): node.value = .string(Self.replacing(row, in: text, used: &used))
        case .array(let items): node.value = .array(items.map { substitute(row, in: $0, used: &used) })
        case .object(let members):
            node.value = .object(
                members.map { member in
                    var member = member
                    member.value = substitute(row, in: member.value, used: &used)
                    return member
                })
        default: break
        }
        return node
    }

    /// Scans once: `$${` is copied, `${name}` of a row variable becomes its value, anything else is copied.
    static func replacing(_ row: MatrixRow, in text: String, used: inout Set<String>) -> String {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            result += rest[..<dollar]
            let after = rest[dollar...].dropFirst()
            if after.hasPrefix("${") {
                result += "$${"
                rest = after.dropFirst(2)
                continue
            }
            // Only a name's characters are looked at, so the scan stays linear.
            let body = after.dropFirst()
            let name = body.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            if after.hasPrefix("{"), body.dropFirst(name.count).hasPrefix("}"),
                let value = row.values.first(where: { $0.name == name })
            {
                result += value.value
                used.insert(value.name)
                rest = body.dropFirst(name.count + 1)
            } else {
                result += "$"
                rest = after
            }
        }
        return result + rest
    }

    /// The row's case, named `NAME [tenant=a]`.
    private func renamed(_ node: JSONNode, label: String) -> JSONNode {
        guard case .object(var members) = node.value,
            let index = members.firstIndex(where: { $0.key == "name" }),
            case .string(let name) = members[index].value.value
        else { return node }
        members[index].value.value = .string("\(name) [\(label)]")
        var node = node
        node.value = .object(members)
        return node
    }
}
