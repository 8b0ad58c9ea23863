import Foundation

/// Turns one exchange into a ``CaseResult``: decode the body once, run the checks, take the captures.
struct CaseEvaluator: Sendable {
    var suite: Suite
    var secrets: SecretStore
    var scrubber: SecretFieldScrubber

    init(suite: Suite, secrets: SecretStore) {
        self.suite = suite
        self.secrets = secrets
        self.scrubber = SecretFieldScrubber(fields: suite.secretFields)
    }

    /// The same evaluator with a store of its own on top of the run's: a sample's one-off tokens mask its
    /// own messages without piling up in the run-wide store.
    func withLocalSecrets() -> CaseEvaluator {
        var local = self
        local.secrets = SecretStore(parent: secrets)
        return local
    }

    struct Evaluation: Sendable {
        var result: CaseResult
        var captured: [String: String]
    }

    func evaluate(
        _ testCase: TestCase, _ prepared: PreparedCase, _ exchange: Exchange, duration: Duration
    ) -> Evaluation {
        let requestLine = prepared.requestLine
        var result = CaseResult(
            name: testCase.name, outcome: .passed, findings: [], request: requestLine,
            status: exchange.response?.status,
            timing: exchange.timing, diagnostic: "", duration: duration)
        guard let response = exchange.response, exchange.failure == nil else {
            let failure = exchange.failure ?? .closedWithoutResponse
            result.outcome = .errored
            result.transportFailure = failure
            result.diagnostic = diagnostic(result, response: exchange.response, error: failure)
            return Evaluation(result: result, captured: [:])
        }
        if case .none = prepared.documentKind {
        } else if let offset = Self.invalidUTF8Offset(response) {
            let failure = TransportFailure.notUTF8(offset: offset)
            result.outcome = .errored
            result.transportFailure = failure
            result.diagnostic = diagnostic(result, response: response, error: failure)
            return Evaluation(result: result, captured: [:])
        }
        let document = ResponseDocument.decode(response, as: prepared.documentKind)
        for path in suite.secretFields {
            if let value = document.field(at: path)?.text { secrets.add(value) }
        }
        let subject = ResponseUnderTest(response: response, timing: exchange.timing, document: document)
        var findings = prepared.checks.flatMap { $0.evaluate(subject) }.map {
            Self.explained($0, prepared.failureReason)
        }
        let warnings = prepared.warningChecks.flatMap { $0.evaluate(subject) }.map { finding in
            var warning = Self.explained(finding, prepared.warningReason)
            if warning.severity == .failure { warning.severity = .warning }
            return warning
        }
        findings += warnings
        if let verdict = warnings.contains(where: { $0.severity == .warning })
            ? prepared.noteIfMissed : prepared.noteIfHeld
        {
            findings.append(.note("warn", verdict))
        }
        findings += prepared.observations.flatMap { $0.evaluate(subject) }
        var captured: [String: String] = [:]
        for capture in testCase.captures {
            switch capture.source {
            case .field(let path):
                if let value = document.field(at: path)?.text {
                    captured[capture.name] = value
                } else {
                    findings.append(.failure("capture", "\(capture.name): field \(path) is not in the response"))
                }
            case .header(let name):
                if let value = response.header(name) {
                    captured[capture.name] = value
                } else {
                    findings.append(.failure("capture", "\(capture.name): header \(name) is not in the response"))
                }
            }
            if capture.secret, let value = captured[capture.name] { secrets.add(value) }
        }
        result.findings = findings.map { Finding($0.severity, check: $0.check, secrets.redact($0.message)) }
        result.outcome = result.failures.isEmpty ? .passed : .failed
        if result.outcome == .failed { result.diagnostic = diagnostic(result, response: response, error: nil) }
        return Evaluation(result: result, captured: captured)
    }

    private static func explained(_ finding: Finding, _ reason: String?) -> Finding {
        guard let reason else { return finding }
        return Finding(finding.severity, check: finding.check, "\(finding.message) (\(reason))")
    }

    /// Where the body stops being UTF-8, when its charset is UTF-8 or unstated.
    static func invalidUTF8Offset(_ response: HTTPResponseSnapshot) -> Int? {
        guard let offset = UTF8Validation.firstInvalidOffset(in: response.body) else { return nil }
        if let charset = response.charset, !["utf-8", "utf8"].contains(charset) { return nil }
        return offset
    }

    /// The full text for a failure or an error: what went wrong, the request, the response.
    private func diagnostic(_ result: CaseResult, response: HTTPResponseSnapshot?, error: TransportFailure?) -> String {
        var lines: [String] = []
        if let error { lines.append("error [\(error.kind)]: \(error)") }
        lines += result.failures.map(\.description)
        lines.append("request: \(result.request ?? "?")")
        if let response {
            let type = response.header("Content-Type").map { ", \($0)" } ?? ""
            lines.append(
                "response: \(response.status) \(response.reason)\(type), \(response.body.count) bytes, \(Milliseconds.text(result.timing?.latency.milliseconds ?? 0)) ms"
            )
            if let location = response.header("Location") {
                lines.append("location: \(URLRedaction.redact(location, secrets: secrets))")
            }
            lines.append("body: \(response.excerpt(secrets: secrets, scrubber: scrubber))")
        }
        return secrets.redact(lines.joined(separator: "\n"))
    }
}
