import Foundation
import Testing

@testable import ConformKit

/// docs/reports.md has one table of check identities, and it is `CheckID.all`, row for row: a new check
/// cannot go undocumented, and no documented identity is one conform no longer makes.
@Suite struct CheckIdentityDocsTests {
    /// The rows of the table under "## Check identities": identity, console word, summary.
    static func documentedRows() throws -> [[String]] {
        let url = TestPaths.packageRoot.appendingPathComponent("docs/reports.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(lines.firstIndex(of: "## Check identities"))
        var rows: [[String]] = []
        for line in lines[(start + 1)...] {
            if line.hasPrefix("## ") { break }
            guard line.hasPrefix("| `") else { continue }
            let cells = line.dropFirst().dropLast().split(separator: "|", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            rows.append(cells)
        }
        return rows
    }

    @Test func theDocumentedTableIsTheListInTheCode() throws {
        let expected = CheckID.all.map { ["`\($0.rawValue)`", "`\($0.label)`", $0.summary] }
        #expect(try Self.documentedRows() == expected)
    }

    @Test func identitiesAreUniqueDottedAndFindableByRawValue() {
        let raw = CheckID.all.map(\.rawValue)
        #expect(Set(raw).count == raw.count)
        for id in CheckID.all {
            #expect(CheckID(rawValue: id.rawValue) == id)
            #expect(
                id.rawValue.utf8.allSatisfy {
                    ("a"..."z").contains(Character(UnicodeScalar($0))) || $0 == 0x2E || $0 == 0x2D
                })
        }
        #expect(CheckID(rawValue: "field") == nil)
    }
}
