import ConformHTTP
import Foundation
import NIOConcurrencyHelpers

/// Folds the samples of one case into one ``CaseResult`` as they finish, in any order.
///
/// Only what the report shows is kept: the first sample's result, the first diagnostic of each kind of
/// failure or error, counts, every latency (for ``LatencySummary``'s exact percentiles) and the phase
/// values. A case fails if any sample fails.
///
/// The folded findings are in one order whatever order the samples finished in: by the place of the check
/// that made them in the case (``CaseEvaluator/Evaluation/ranks``), then by message. Same responses, same
/// report.
final class SampleAggregator: Sendable {
    private struct FirstOf<Value: Sendable>: Sendable {
        var count = 0
        var index: Int
        /// The place in the case of the earliest check that made it, over all samples.
        var rank: Int
        var value: Value
    }

    private struct State: Sendable {
        var first: (index: Int, evaluation: CaseEvaluator.Evaluation)?
        var latency = LatencyRecorder()
        /// Samples folded in so far: fewer than planned when sampling stopped early.
        var taken = 0
        var failedSamples = 0
        var erroredSamples = 0
        var failures: [String: FirstOf<CaseResult>] = [:]
        var errors: [String: FirstOf<CaseResult>] = [:]
        var others: [FindingKey: FirstOf<Finding>] = [:]
        var captured: (index: Int, values: [String: String])?
        /// Each phase's values as they come, 4 bytes a value: medians are taken once at the end.
        var phases = [[Float]](repeating: [], count: ExchangeTiming.metricNames.count)
        var newConnections = 0
        var reusedConnections = 0
        /// Latencies by sample index, the first ``CaseResult/keptSamples`` of them.
        var kept: [Int: Double] = [:]
        var statuses: [Int: Int] = [:]
    }

    /// A warning or note, compared by its bytes: every sample hashes its findings here, and a message with
    /// "§" or "…" would otherwise be normalised to NFC for every hash and comparison (a tenth of the CPU of
    /// a sample). Byte equality is stricter than String's, which is right for the same check's own text.
    private struct FindingKey: Hashable, Sendable {
        var severity: Finding.Severity
        var check: String
        var message: String

        static func == (left: FindingKey, right: FindingKey) -> Bool {
            left.severity == right.severity && left.check.utf8.elementsEqual(right.check.utf8)
                && left.message.utf8.elementsEqual(right.message.utf8)
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(severity)
            for text in [check, message] {
                var text = text
                text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
                hasher.combine(0xFF as UInt8)  // never a byte of UTF-8: the two texts cannot run together
            }
        }
    }

    let total: Int
    /// Where the secrets of the samples kept for the report are registered.
    private let secrets: SecretStore
    private let state = NIOLockedValueBox(State())

    init(total: Int, secrets: SecretStore) {
        self.total = total
        self.secrets = secrets
    }

    /// Folds one sample in. The secrets its response revealed are registered when the sample is kept for
    /// the report (the first sample, the first of each kind of failure or error); the others' are dropped
    /// with their text, so that a run of many samples keeps a small store.
    func add(index: Int, _ evaluation: CaseEvaluator.Evaluation) {
        let result = evaluation.result
        let kept = state.withLockedValue { state -> Bool in
            var kept = false
            state.taken += 1
            if state.first == nil || index < state.first!.index {
                state.first = (index, evaluation)
                kept = true
            }
            if let status = result.status { state.statuses[status, default: 0] += 1 }
            if let timing = result.timing, result.status != nil {
                state.latency.record(timing.latency)
                timing.forEachMetric { index, milliseconds in state.phases[index].append(Float(milliseconds)) }
                switch timing.connection {
                case .new: state.newConnections += 1
                case .reused: state.reusedConnections += 1
                case .unknown: break
                }
                if index < CaseResult.keptSamples { state.kept[index] = timing.latency.milliseconds }
            }
            if !evaluation.captured.isEmpty, state.captured == nil || index < state.captured!.index {
                state.captured = (index, evaluation.captured)
            }
            switch result.outcome {
            case .failed:
                state.failedSamples += 1
                var kinds: [String: Int] = [:]
                for (position, finding) in result.findings.enumerated() where finding.severity == .failure {
                    let rank = evaluation.rank(of: position)
                    kinds[finding.check.label] = min(kinds[finding.check.label] ?? rank, rank)
                }
                for (kind, rank) in kinds {
                    kept = Self.keep(&state.failures, kind, index, result, rank: rank) || kept
                }
            case .errored:
                state.erroredSamples += 1
                kept = Self.keep(&state.errors, result.transportFailure?.kind ?? "transport", index, result) || kept
            case .passed, .skipped:
                break
            }
            for (position, finding) in result.findings.enumerated() where finding.severity != .failure {
                kept =
                    Self.keep(
                        &state.others,
                        FindingKey(severity: finding.severity, check: finding.check.rawValue, message: finding.message),
                        index,
                        finding, rank: evaluation.rank(of: position)) || kept
            }
            return kept
        }
        if kept {
            for secret in evaluation.allSecrets { secrets.add(secret, origin: "a secret field of the response") }
        }
    }

    /// Keeps the value of the earliest sample per key; `true` when this sample's value is the one kept.
    private static func keep<Key: Hashable, Value: Sendable>(
        _ table: inout [Key: FirstOf<Value>], _ key: Key, _ index: Int, _ value: Value, rank: Int = 0
    ) -> Bool {
        guard var entry = table[key] else {
            table[key] = FirstOf(count: 1, index: index, rank: rank, value: value)
            return true
        }
        entry.count += 1
        entry.rank = min(entry.rank, rank)
        let earlier = index < entry.index
        if earlier {
            entry.index = index
            entry.value = value
        }
        table[key] = entry
        return earlier
    }

    var latency: LatencySummary? { state.withLockedValue { $0.latency.summarize() } }
    var taken: Int { state.withLockedValue { $0.taken } }
    var captured: [String: String] { state.withLockedValue { $0.captured?.values ?? [:] } }
    var failedOrErroredSamples: Int { state.withLockedValue { $0.failedSamples + $0.erroredSamples } }

    /// The case's result: the single sample's own, or the samples folded together.
    func result(duration: Duration, objectives: [LatencyObjectiveCheck], notes: [Finding]) -> CaseResult? {
        // Summarised in place first, so that the copy of the state below shares the latencies' storage.
        let summary = state.withLockedValue { $0.latency.summarize() }
        let state = state.withLockedValue { $0 }
        guard let first = state.first else { return nil }
        var result = first.evaluation.result
        result.duration = duration
        result.samples = state.taken
        result.latencySamples = state.kept.sorted { $0.key < $1.key }.map(\.value)
        if state.taken > 1 {
            result.latency = summary
            if state.statuses.count > 1 {
                result.statusCounts = state.statuses.sorted { $0.key < $1.key }.map {
                    CaseResult.StatusCount(status: $0.key, count: $0.value)
                }
            }
            let medians = state.phases.map { $0.isEmpty ? nil : Self.median($0.map(Double.init)) }
            // connect_ms exists for new connections only: its median is over those, said with their count.
            result.connectionCounts = CaseResult.ConnectionCounts(
                new: state.newConnections, reused: state.reusedConnections, connectMedianMilliseconds: medians[1])
            result.phaseMetrics = zip(ExchangeTiming.metricNames, medians).compactMap { name, median in
                median.map { (name: name, milliseconds: $0) }
            }
            fold(state, into: &result)
        } else {
            result.phaseMetrics = result.timing?.metrics ?? []
            if let timing = result.timing { result.connectionCounts = Self.connectionCounts(timing.connection) }
        }
        let objectiveFindings = objectives.flatMap { $0.evaluate(summary) }
        if !objectiveFindings.isEmpty, result.latency == nil { result.latency = summary }
        result.findings = notes + result.findings + objectiveFindings
        if !objectiveFindings.isEmpty, result.outcome != .failed {
            result.outcome = .failed
            result.diagnostic = CaseDiagnostic(objectiveFindings.map { .finding($0) } + result.diagnostic.lines)
        }
        return result
    }

    /// Many samples: counts, then the first diagnostic of each kind of failure and error (a sample that was
    /// the first of several kinds is shown once). Failures in the order of their checks; errors the most
    /// frequent first; warnings and notes in the order of their checks, then by message.
    private func fold(_ state: State, into result: inout CaseResult) {
        let failureKinds = state.failures.sorted { ($0.value.rank, $0.key) < ($1.value.rank, $1.key) }
        let errorKinds = state.errors.sorted { (-$0.value.count, $0.key) < (-$1.value.count, $1.key) }
        var findings: [Finding] = []
        var diagnostic: [CaseDiagnostic.Line] = []
        if state.failedSamples > 0 {
            let kinds = failureKinds.map { "\($0.key) \($0.value.count)" }.joined(separator: ", ")
            let summary = "\(state.failedSamples) of \(state.taken) samples failed (\(kinds))"
            findings.append(.failure(.samples, summary))
            diagnostic.append(.text(summary))
            for (kind, entry) in failureKinds {
                findings += entry.value.failures.filter { $0.check.label == kind }.prefix(1)
            }
            diagnostic += Self.firstDiagnostics(
                failureKinds.map { ($0.key, $0.value.index, $0.value.value.diagnostic) }, "failure", state.taken)
        }
        if state.erroredSamples > 0 {
            let kinds = errorKinds.map { "\($0.key) \($0.value.count)" }.joined(separator: ", ")
            let summary = "\(state.erroredSamples) of \(state.taken) samples had transport errors (\(kinds))"
            if state.failedSamples > 0 { findings.append(.failure(.samples, summary)) }
            diagnostic.append(.text(summary))
            diagnostic += Self.firstDiagnostics(
                errorKinds.map { ($0.key, $0.value.index, $0.value.value.diagnostic) }, "error", state.taken)
        }
        let others = state.others.sorted {
            ($0.value.rank, $0.key.message, $0.key.severity.rawValue, $0.key.check)
                < ($1.value.rank, $1.key.message, $1.key.severity.rawValue, $1.key.check)
        }
        for (_, entry) in others.prefix(20) {
            var finding = entry.value
            if entry.count < state.taken { finding.message += " (in \(entry.count) of \(state.taken) samples)" }
            findings.append(finding)
        }
        result.findings = findings
        if state.failedSamples > 0 {
            result.outcome = .failed
        } else if state.erroredSamples > 0 {
            result.outcome = .errored
            result.transportFailure = errorKinds.first?.value.value.transportFailure
        } else {
            result.outcome = .passed
            result.transportFailure = nil
        }
        result.diagnostic = CaseDiagnostic(diagnostic)
    }

    /// "first status and body failures, sample 2 of 5:" and that sample's diagnostic, once per sample.
    private static func firstDiagnostics(
        _ kinds: [(kind: String, index: Int, diagnostic: CaseDiagnostic)], _ word: String, _ total: Int
    ) -> [CaseDiagnostic.Line] {
        var lines: [CaseDiagnostic.Line] = []
        var shown: Set<Int> = []
        for entry in kinds where shown.insert(entry.index).inserted {
            let together = kinds.filter { $0.index == entry.index }.map(\.kind)
            let label =
                together.count == 1
                ? "first \(together[0]) \(word)"
                : "first \(together.dropLast().joined(separator: ", ")) and \(together.last!) \(word)s"
            lines.append(.text("\(label), sample \(entry.index + 1) of \(total):"))
            lines += entry.diagnostic.lines
        }
        return lines
    }

    static func connectionCounts(_ connection: ExchangeTiming.Connection) -> CaseResult.ConnectionCounts? {
        switch connection {
        case .new: CaseResult.ConnectionCounts(new: 1, reused: 0, single: true)
        case .reused: CaseResult.ConnectionCounts(new: 0, reused: 1, single: true)
        case .unknown: nil
        }
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
