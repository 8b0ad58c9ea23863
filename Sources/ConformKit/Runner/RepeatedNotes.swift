import Foundation

/// A note that every case of a suite would repeat (the Nagle diagnosis, keys that could not be had) is
/// said once for the suite, naming the cases it applies to.
///
/// The first case that gets the note keeps it while the suite runs (the console prints it live); later
/// cases drop it. When the suite ends, a note said for two cases or more leaves its first case and becomes
/// one suite note: `download: … (same note for 3 cases: 'a', 'b', 'c')`. Notes are the same when their
/// check and their words agree, figures aside (`1843 bytes`, `in 3 of 20 samples`).
struct RepeatedNotes: Sendable {
    /// The checks whose notes describe the endpoint or the machine rather than one case.
    static let suiteWide: Set<CheckID> = [.phases, .jwtKeys, .connectionResent]

    private struct Seen: Sendable {
        var note: Finding
        var cases: [String]
    }

    private var seen: [String: Int] = [:]
    private var order: [Seen] = []

    /// Drops from `result` the notes an earlier case of the suite already had.
    mutating func filter(_ result: inout CaseResult) {
        var kept: [Finding] = []
        for finding in result.findings {
            guard finding.severity == .note, Self.suiteWide.contains(finding.check) else {
                kept.append(finding)
                continue
            }
            let key = Self.key(finding)
            if let index = seen[key] {
                if order[index].cases.last != result.name { order[index].cases.append(result.name) }
                continue
            }
            seen[key] = order.count
            order.append(Seen(note: finding, cases: [result.name]))
            kept.append(finding)
        }
        result.findings = kept
    }

    /// The notes said for two cases or more, moved from their first case to the suite.
    func suiteNotes(moving cases: inout [CaseResult]) -> [Finding] {
        var notes: [Finding] = []
        for entry in order where entry.cases.count > 1 {
            if let first = cases.firstIndex(where: { $0.name == entry.cases[0] }) {
                let key = Self.key(entry.note)
                if let position = cases[first].findings.firstIndex(where: {
                    $0.severity == .note && $0.check == entry.note.check && Self.key($0) == key
                }) {
                    cases[first].findings.remove(at: position)
                }
            }
            var note = entry.note
            let names = entry.cases.map { "'\($0)'" }.joined(separator: ", ")
            note.message += " (same note for \(entry.cases.count) cases: \(names))"
            notes.append(note)
        }
        return notes
    }

    /// The check and the words, without figures.
    private static func key(_ finding: Finding) -> String {
        finding.check.rawValue + "\u{0}" + String(finding.message.unicodeScalars.filter { !("0"..."9").contains($0) })
    }
}
