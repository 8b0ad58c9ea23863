import Foundation

/// Matching a case's failures against the baseline.
extension Baseline {
    /// Turns the failures and the error of a case that the baseline knows into known deviations; the case
    /// passes when nothing else failed. Known deviations of the case that did not happen are noted as fixed;
    /// a known one that now shows another value is a failure, with a note that says so.
    /// The diagnostic says the same: the lines of known failures are shown as known deviations, and a case
    /// that now passes has none.
    func apply(to result: inout CaseResult, suite: String) {
        guard result.outcome != .skipped else { return }
        if !legacy.isEmpty {
            applyLegacy(to: &result, suite: suite)
            return
        }
        let known = deviations.filter { $0.suite == suite && $0.case == result.name }
        guard !known.isEmpty else { return }
        var matched: Set<Entry> = []
        var changed: [Entry] = []
        var findings: [Finding] = []
        var relabelled = Relabelling()
        for finding in result.findings {
            guard finding.severity == .failure else {
                findings.append(finding)
                continue
            }
            let entry = entry(for: finding, suite: suite, case: result.name)
            if known.contains(entry) {
                matched.insert(entry)
                findings.append(relabel(finding, &relabelled))
            } else {
                if known.contains(where: { $0.identity == entry.identity }) { changed.append(entry) }
                findings.append(finding)
            }
        }
        if let failure = result.transportFailure, result.outcome == .errored {
            let deviation = Self.transportFinding(failure)
            let entry = entry(for: deviation, suite: suite, case: result.name)
            if known.contains(entry) {
                matched.insert(entry)
                findings.insert(relabel(deviation, &relabelled, error: failure.kind), at: 0)
                result.transportFailure = nil
                result.outcome = findings.contains { $0.severity == .failure } ? .failed : .passed
            }
        }
        for entry in changed {
            findings.append(.note(.baseline, "\(Self.place(entry)): another value than the one the baseline knows"))
        }
        for entry in known where !matched.contains(entry) && !changed.contains(where: { $0.identity == entry.identity })
        {
            findings.append(.note(.baseline, "no longer deviates: \(Self.place(entry))"))
        }
        finish(&result, findings, relabelled)
    }

    /// `field.equals at error (expected "invalid_request")`.
    static func place(_ entry: Entry) -> String {
        let location = entry.location.map { " at \($0)" } ?? ""
        let expected = entry.expected.map { " (\($0))" } ?? ""
        return "\(entry.check)\(location)\(expected)"
    }

    /// The failures and the error of a case now shown as known deviations.
    private struct Relabelling {
        var known: [Finding] = []
        var error: (kind: String, deviation: Finding)?
        var isEmpty: Bool { known.isEmpty && error == nil }
    }

    /// The failure (or the finding standing for an error of this kind) as a known deviation; its line of
    /// the diagnostic is relabelled when the case is finished.
    private func relabel(_ finding: Finding, _ relabelled: inout Relabelling, error kind: String? = nil) -> Finding {
        var deviation = finding
        deviation.severity = .knownDeviation
        if let kind {
            relabelled.error = (kind, deviation)
        } else {
            relabelled.known.append(finding)
        }
        return deviation
    }

    private func finish(_ result: inout CaseResult, _ findings: [Finding], _ relabelled: Relabelling) {
        result.findings = findings
        if result.outcome == .failed, !findings.contains(where: { $0.severity == .failure }) {
            result.outcome = .passed
        }
        if result.outcome == .passed {
            result.diagnostic = CaseDiagnostic()
        } else if !relabelled.isEmpty {
            result.diagnostic = result.diagnostic.relabelled(relabelled.known, error: relabelled.error)
        }
    }

    /// Version 1: a failure is known when its console word and the shape of its message match.
    private func applyLegacy(to result: inout CaseResult, suite: String) {
        let known = legacy.filter { $0.suite == suite && $0.case == result.name }
        guard !known.isEmpty else { return }
        var matched: Set<LegacyEntry> = []
        var findings: [Finding] = []
        var relabelled = Relabelling()
        for finding in result.findings {
            let entry = LegacyEntry(
                suite: suite, case: result.name, check: finding.check.label, message: Self.shape(finding.message))
            if finding.severity == .failure, known.contains(entry) {
                matched.insert(entry)
                findings.append(relabel(finding, &relabelled))
            } else {
                findings.append(finding)
            }
        }
        if let failure = result.transportFailure, result.outcome == .errored {
            let deviation = Self.transportFinding(failure)
            let entry = LegacyEntry(
                suite: suite, case: result.name, check: deviation.check.label, message: Self.shape(failure.description))
            if known.contains(entry) {
                matched.insert(entry)
                findings.insert(relabel(deviation, &relabelled, error: failure.kind), at: 0)
                result.transportFailure = nil
                result.outcome = findings.contains { $0.severity == .failure } ? .failed : .passed
            }
        }
        for entry in known where !matched.contains(entry) {
            findings.append(.note(.baseline, "no longer deviates: \(entry.check): \(entry.message)"))
        }
        finish(&result, findings, relabelled)
    }
}
