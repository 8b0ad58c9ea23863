import ConformSupport
import Foundation

/// Planning when the run was interrupted (SIGINT, SIGTERM, `--max-time`) while the suites were loading.
///
/// Nothing will be sent, but the reports are still written, as for an interruption at any later point:
/// every suite given has a plan, so that the runner lists it. A suite loaded by then lists its cases, each
/// skipped with "not run: …"; a file not loaded has no case and a warning that says why. Report paths are
/// checked as usual, against every input known by then.
extension RunPlanner {
    func interruptedPlans(
        _ loaded: [Result<CompiledSuite, SuiteLoadError>?], reason: String
    ) throws(PlanningError) -> [SuitePlan] {
        var plans: [SuitePlan] = []
        for (path, result) in zip(suitePaths, loaded) {
            var suitePlan: SuitePlan
            if case .success(let compiled)? = result {
                suitePlan = plan(for: compiled)
            } else {
                let suite = Suite(
                    file: path, name: SuiteFileFormat.baseName(of: path), baseURL: nil,
                    mock: nil, variables: [], secretFields: [], cases: [])
                suitePlan = plan(for: CompiledSuite(suite: suite, bodies: [:]))
                suitePlan.warnings = [.warning(.suiteNotLoaded, "not loaded: \(reason) while the suites were loading")]
            }
            plans.append(suitePlan)
        }
        let inputs =
            suitePaths
            + loaded.flatMap { result -> [String] in
                if case .success(let compiled)? = result { return compiled.inputFiles }
                return []
            }
        var problems = checkReports(plans, inputs: inputs)
        if options.junitPath == nil {
            var seen: Set<String> = []
            for plan in plans where !seen.insert(plan.reportPath).inserted {
                problems.append(
                    .error("two suites would both write \(plan.reportPath); pass --junit PATH for one combined report"))
            }
        }
        if !problems.isEmpty { throw PlanningError(diagnostics: problems) }
        return plans
    }

    /// A plan that sends nothing: no target, no values.
    private func plan(for compiled: CompiledSuite) -> SuitePlan {
        SuitePlan(
            compiled: compiled, cases: compiled.suite.cases, pulledIn: [:], baseURL: nil, mock: nil,
            values: RunValues(variables: [:], unset: [:]),
            reportPath: options.junitPath ?? "\(ConformDefaults.reportsDirectory)/\(compiled.suite.reportBaseName).xml")
    }
}
