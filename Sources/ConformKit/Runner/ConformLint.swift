import ConformSupport

/// `conform lint`: the planning of `conform run` (options, suite files, variable files, variables,
/// selection, report paths) without sending anything or starting a mock. It takes every option `run` takes
/// and fails where `run` would fail before sending, with the same messages; a report folder is tried by
/// making and removing it, so that nothing is left behind.
///
/// Lint is offline: a suite without an embedded mock needs no `--base-url`, and a required variable needs
/// no value (only a `--var` or `--var-file` name must be declared), so that a pull-request job without
/// secrets can lint every suite.
package enum ConformLint {
    package static func run(
        _ options: RunOptions, environment: [String: String], output: any TextOutput, errors: any TextOutput,
        diagnostics: any DiagnosticConsumer
    ) -> ExitStatus {
        let boundary = OutputBoundary(
            output: output, errors: errors, diagnostics: diagnostics, environment: environment)
        var planner = RunPlanner(options: options, environment: environment, secrets: boundary.secrets)
        planner.createReportFolders = false
        planner.offline = true
        for note in planner.skippedSchemaNotes { boundary.diagnose(note) }
        do {
            let plans = try planner.plan()
            // Warnings never change lint's exit status, as they never change run's.
            for warning in plans.flatMap(\.suite.warnings) { boundary.diagnose(RunDiagnostic(warning)) }
            for plan in plans {
                let target =
                    plan.mock.map { "against the embedded \($0.definition.name) mock" }
                    ?? plan.baseURL.map { "against \($0.absoluteString)" } ?? Self.noTarget
                let count = plan.cases.count
                boundary.print("\(plan.suite.file): ok, \(Plural.count(count, "case")) \(target)", to: .output)
            }
            return .passed
        } catch {
            boundary.diagnose(error.diagnostics)
            return .invalid
        }
    }

    /// What lint says of a suite with neither a mock nor a `base_url` and no `--base-url`.
    static let noTarget = "checked offline (run needs --base-url URL: the suite has no 'mock' and no 'base_url')"
}
