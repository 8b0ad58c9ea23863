import Foundation

/// One cause, one finding: findings that only repeat what another finding of the same response already
/// says are left out.
///
/// - A JSON Schema or JSON model finding at a path says what is wrong with the value there: the field rules and JWT
///   checks of that path say nothing more (a string `expires_in` is one schema failure, not also "expected
///   a number > 0" and "expected an integer"). A schema warning (a `format`) leaves out warnings only.
/// - When the status failed and the body could not be read as the document the case expects (an HTML
///   error page for JSON), the checks of the body and of `Content-Type` judge a page that was never meant
///   to pass, and the captures look for fields it cannot have: they are left out, and one note says how
///   many and why. (A case that needs a capture left out is still skipped, naming it.)
enum FindingDeduplication {
    typealias Ranked = (rank: Int, finding: Finding)

    /// The note said in place of the body's checks.
    static func notJudged(checks: Int, captures: Int, because reason: String) -> String {
        let counted = [
            checks > 0 ? Plural.count(checks, "check") : nil, captures > 0 ? Plural.count(captures, "capture") : nil,
        ].compactMap { $0 }.joined(separator: " and ")
        return
            "\(counted) of the body not judged: the status check failed, and the body is not the document expected (\(reason))"
    }

    static func deduplicated(_ ranked: [Ranked], document: ResponseDocument) -> [Ranked] {
        var kept = withoutRepeatsOfSchema(ranked)
        guard kept.contains(where: { $0.finding.check == .status && $0.finding.severity == .failure }),
            case .unreadable(let reason) = document
        else { return kept }
        let consequences = kept.filter { isAboutTheBody($0.finding) && $0.finding.severity == .failure }
        guard !consequences.isEmpty else { return kept }
        kept.removeAll { isAboutTheBody($0.finding) && $0.finding.severity == .failure }
        let rank = consequences.map(\.rank).min() ?? 0
        let captures = consequences.filter { $0.finding.check == .capture }.count
        let note = Finding.note(
            .checksNotJudged, notJudged(checks: consequences.count - captures, captures: captures, because: reason))
        let position = kept.firstIndex { $0.rank > rank } ?? kept.endIndex
        kept.insert((rank, note), at: position)
        return kept
    }

    /// A field rule or JWT check at a path where the JSON Schema already found the value wrong.
    private static func withoutRepeatsOfSchema(_ ranked: [Ranked]) -> [Ranked] {
        var schemaSeverity: [String: Int] = [:]
        for (_, finding) in ranked where finding.check == .bodySchema || finding.check == .bodyModel {
            guard case .field(let path) = finding.location else { continue }
            schemaSeverity[path] = max(schemaSeverity[path] ?? 0, weight(finding.severity))
        }
        guard !schemaSeverity.isEmpty else { return ranked }
        return ranked.filter { _, finding in
            guard isFieldCheck(finding.check), case .field(let path) = finding.location,
                let weight = schemaSeverity[path]
            else { return true }
            return Self.weight(finding.severity) > weight
        }
    }

    private static func weight(_ severity: Finding.Severity) -> Int {
        switch severity {
        case .failure, .knownDeviation: 2
        case .warning: 1
        case .note: 0
        }
    }

    private static func isFieldCheck(_ check: CheckID) -> Bool {
        check.rawValue.hasPrefix("field.") || check.rawValue.hasPrefix("jwt.")
    }

    private static func isAboutTheBody(_ finding: Finding) -> Bool {
        finding.check == .contentType || finding.check == .capture || finding.check.rawValue.hasPrefix("body.")
            || isFieldCheck(finding.check)
    }
}
