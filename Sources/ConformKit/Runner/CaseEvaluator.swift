import ConformHTTP
import ConformJSON
import ConformSupport
import Foundation

/// Turns one exchange into a ``CaseResult``: decode the body once, run the checks, take the captures.
///
/// Results are plain data: nothing is masked here (``OutputBoundary`` masks every output). What the
/// response revealed as secret (the values of secret fields, found by name even in a body that does not
/// parse, and secret captures) travels with the evaluation, so that whoever keeps the result for a report
/// registers them.
struct CaseEvaluator: Sendable {
    var suite: Suite
    var finder: SecretFieldFinder

    init(suite: Suite) {
        self.suite = suite
        self.finder = SecretFieldFinder(fields: suite.secretFields)
    }

    struct Evaluation: Sendable {
        var result: CaseResult
        var captured: [String: String]
        /// Secret values this sample's response revealed.
        var secrets: [String] = []
        /// The secret fields found by name in a body shown in a finding or diagnostic: looked for only when
        /// the sample is kept for the report (most samples of a repeated case are not) or for the HAR.
        var revealed: (@Sendable () -> [String])?

        /// Every secret this sample's outputs could show.
        var allSecrets: [String] { secrets + (revealed?() ?? []) }
        /// For each finding of `result`, the place in the case of the check that made it: the checks of
        /// `expect` in the order ``CheckRegistry`` builds them, then those of `warn`, the warn note, the
        /// `report` entries, the connection note, the captures. Samples are folded in this order.
        var ranks: [Int] = []

        /// The rank of the finding at this position; findings made outside the checks (a comparison's
        /// samples) come after them.
        func rank(of position: Int) -> Int {
            ranks.indices.contains(position) ? ranks[position] : Int.max
        }
    }

    /// Checks one exchange. The checks count against `deadline` (the case's time budget, the run's end):
    /// those that may take long stop when it passes and say so, and the checks not started by then are
    /// replaced by one failure that says why.
    func evaluate(
        _ testCase: TestCase, _ prepared: PreparedCase, _ exchange: Exchange, duration: Duration,
        deadline: WorkDeadline = .never
    ) -> Evaluation {
        var result = CaseResult(
            name: testCase.name, outcome: .passed, findings: [], request: prepared.requestLine,
            status: exchange.response?.status, contentType: exchange.response?.header("Content-Type"),
            timing: exchange.timing, diagnostic: "", duration: duration)
        result.tls = exchange.tls
        guard let response = exchange.response, exchange.failure == nil else {
            let failure = exchange.failure ?? .closedWithoutResponse
            result.outcome = .errored
            result.transportFailure = failure
            result.diagnostic = diagnostic(result, response: exchange.response, error: failure)
            result.response = exchange.response.map(ResponseShown.init)
            return Evaluation(
                result: result, captured: [:], secrets: Self.revealed(by: exchange.response, finder: finder))
        }
        if case .none = prepared.documentKind {
        } else if let offset = Self.invalidUTF8Offset(response) {
            let failure = TransportFailure.notUTF8(offset: offset)
            result.outcome = .errored
            result.transportFailure = failure
            result.diagnostic = diagnostic(result, response: response, error: failure)
            result.response = ResponseShown(response)
            return Evaluation(result: result, captured: [:], secrets: Self.revealed(by: response, finder: finder))
        }
        let document = ResponseDocument.decode(response, as: prepared.documentKind)
        var secrets = suite.secretFields.compactMap { document.field(at: $0)?.text }
        let subject = ResponseUnderTest(
            response: response, timing: exchange.timing, document: document, tls: exchange.tls, deadline: deadline)
        var ranked: [(rank: Int, finding: Finding)] = []
        var stopped: String?
        for (rank, check) in prepared.checks.enumerated() {
            if let reason = deadline.stopReason() {
                stopped = reason
                let left = prepared.checks.count - rank
                ranked.append(
                    (rank, .failure(.checksStopped, "\(left) of \(prepared.checks.count) checks not made: \(reason)")))
                break
            }
            ranked += check.evaluate(subject).map { (rank, Self.explained($0, prepared.failureReason)) }
        }
        var rank = prepared.checks.count
        var warned = false
        // A response that failed its status is not judged against the recommendations of `warn`.
        let statusFailed = ranked.contains { $0.finding.check == .status && $0.finding.severity == .failure }
        if statusFailed, stopped == nil, !prepared.warningChecks.isEmpty {
            ranked.append((rank, .note(.warnVerdict, Self.warnNotEvaluated)))
            rank += prepared.warningChecks.count
        }
        for check in prepared.warningChecks where stopped == nil && !statusFailed {
            for finding in check.evaluate(subject) {
                var warning = Self.explained(finding, prepared.warningReason)
                if warning.severity == .failure { warning.severity = .warning }
                warned = warned || warning.severity == .warning
                ranked.append((rank, warning))
            }
            rank += 1
        }
        if !statusFailed, let verdict = warned ? prepared.noteIfMissed : prepared.noteIfHeld {
            ranked.append((rank, .note(.warnVerdict, verdict)))
        }
        rank += 1
        for observation in prepared.observations {
            ranked += observation.evaluate(subject).map { (rank, $0) }
            rank += 1
        }
        if let resent = exchange.resent { ranked.append((rank, .note(.connectionResent, resent))) }
        rank += 1
        var captured: [String: String] = [:]
        for capture in testCase.captures {
            if let value = Self.value(of: capture, in: document, response) {
                captured[capture.name] = value
            } else if !capture.optional {
                ranked.append((rank, Self.missing(capture)))
            }
            rank += 1
            if capture.secret, let value = captured[capture.name] { secrets.append(value) }
        }
        ranked = FindingDeduplication.deduplicated(ranked, document: document)
        let findings = ranked.map(\.finding)
        result.findings = findings
        result.outcome = result.failures.isEmpty ? .passed : .failed
        if result.outcome == .failed {
            result.diagnostic = diagnostic(result, response: response, error: nil)
            result.response = ResponseShown(response)
        }
        var evaluation = Evaluation(result: result, captured: captured, secrets: secrets, ranks: ranked.map(\.rank))
        if !findings.isEmpty {
            let finder = self.finder
            evaluation.revealed = { Self.revealed(by: response, finder: finder) }
        }
        return evaluation
    }

    /// The note of a case whose `warn` block was not judged.
    static let warnNotEvaluated = "warn checks not evaluated: the status check failed"

    /// Every secret of a sample whose exchange is shown whole (the HAR): its own, and the secret fields of
    /// its body found by name even when no finding shows the body.
    func everySecret(of evaluation: Evaluation, in exchange: Exchange) -> [String] {
        evaluation.secrets + (evaluation.revealed?() ?? Self.revealed(by: exchange.response, finder: finder))
    }

    /// What a response shown in a diagnostic reveals: secret fields found by name in its body, and the
    /// sensitive parameters of its `Location`.
    private static func revealed(by response: HTTPResponseSnapshot?, finder: SecretFieldFinder) -> [String] {
        guard let response else { return [] }
        return finder.values(in: response.body) + SensitiveParameters.values(in: response.header("Location") ?? "")
    }

    /// What a capture takes from the response, or `nil` when the response lacks it. With `contains`, the text
    /// is taken only when the field's array lists it: what a discovery document advertises.
    private static func value(
        of capture: Capture, in document: ResponseDocument, _ response: HTTPResponseSnapshot
    ) -> String? {
        switch capture.source {
        case .field(let path):
            guard let wanted = capture.contains else { return document.field(at: path)?.text }
            guard case .json(.array(let items))? = document.field(at: path), items.contains(.string(wanted)) else {
                return nil
            }
            return wanted
        case .header(let name):
            return response.header(name)
        }
    }

    /// The `capture` failure of a capture the response lacks.
    private static func missing(_ capture: Capture) -> Finding {
        switch capture.source {
        case .field(let path):
            let what = capture.contains.map { "does not list \(JSONValue.quoted($0))" } ?? "is not in the response"
            return .failure(.capture, "\(capture.name): field \(path) \(what)", location: .field(path.description))
        case .header(let name):
            return .failure(.capture, "\(capture.name): header \(name) is not in the response", location: .header(name))
        }
    }

    private static func explained(_ finding: Finding, _ reason: String?) -> Finding {
        finding.explained(by: reason)
    }

    /// Where the body stops being UTF-8, when its charset is UTF-8 or unstated.
    static func invalidUTF8Offset(_ response: HTTPResponseSnapshot) -> Int? {
        guard let offset = UTF8Validation.firstInvalidOffset(in: response.body) else { return nil }
        if let charset = response.charset, !["utf-8", "utf8"].contains(charset) { return nil }
        return offset
    }

    /// What is shown for a failure or an error: what went wrong, the request, the response.
    private func diagnostic(
        _ result: CaseResult, response: HTTPResponseSnapshot?, error: TransportFailure?
    ) -> CaseDiagnostic {
        var lines: [CaseDiagnostic.Line] = []
        if let error { lines.append(.error(kind: error.kind, message: "\(error)")) }
        lines += result.failures.map { .finding($0) }
        lines.append(.request(result.request ?? "?"))
        if let response {
            lines.append(
                .response(
                    .init(
                        status: response.status, reason: response.reason, contentType: response.header("Content-Type"),
                        bytes: response.body.count, milliseconds: result.timing?.latency.milliseconds ?? 0)))
            if let location = response.header("Location") { lines.append(.location(location)) }
            lines.append(.body(BodyExcerpt.text(of: response.body, limit: 400)))
        }
        return CaseDiagnostic(lines)
    }
}
