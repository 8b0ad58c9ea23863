import Foundation

/// One suite, ready to run: where, with which values, and where its report goes.
struct SuitePlan: Sendable {
    struct Mock: Sendable {
        var definition: MockDefinition
        var endpoint: any MockEndpoint
        var configuration: MockConfiguration
    }

    var compiled: CompiledSuite
    var suite: Suite { compiled.suite }
    /// The cases that run (all of them unless a selection or a shard says otherwise), in file order.
    var cases: [TestCase]
    /// Case name → the selected case that needs it, for cases run only because of a dependency.
    var pulledIn: [String: String]
    /// The live target; `nil` when the embedded mock serves the suite.
    var baseURL: URL?
    var mock: Mock?
    var values: RunValues
    var reportPath: String
    /// What the suite's reports say about it besides its cases: that it was not loaded before the run stopped.
    var warnings: [Finding] = []

    /// "embedded mock pitchpoint" or "target https://…", until a started mock says where it listens.
    var targetDescription: String {
        if let mock { return "embedded mock \(mock.definition.name)" }
        guard let baseURL else { return "no target (the run stopped while the suites were loading)" }
        return "target \(baseURL.absoluteString)"
    }

    /// `--repeat` and `--concurrency` for this suite. Every case repeats against an embedded mock that uses
    /// no credential up; elsewhere a case that sends a secret repeats when it is `repeat_safe` or the user
    /// passed `--repeat-secrets`.
    func repetition(_ options: RunOptions) -> Repetition {
        let secrets: Repetition.SecretRepeats
        if let mock, !mock.endpoint.usesUpCredentials {
            secrets = .always
        } else {
            secrets = options.repeatSecrets ? .accepted : .whenRepeatSafe
        }
        return Repetition(samples: options.repeatCount, concurrency: options.concurrency, secrets: secrets)
    }
}

/// Problems found before anything is sent, as diagnostics in the order found: exit status 2.
struct PlanningError: Error {
    var diagnostics: [RunDiagnostic]
}
