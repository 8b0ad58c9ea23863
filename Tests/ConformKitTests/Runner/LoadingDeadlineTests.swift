import Foundation
import Testing

@testable import ConformJSON
@testable import ConformJSONSchema
@testable import ConformKit
@testable import ConformSupport

/// Loading and compiling are loops, not tasks: each asks its ``WorkDeadline`` and stops when the run is
/// interrupted, with a diagnostic that says why; planning then still gives every suite a plan, so that the
/// reports list them all.
@Suite(.temporaryDirectories) struct LoadingDeadlineTests {
    private static let interrupted: WorkDeadline = {
        let control = RunControl()
        control.interrupt(.maxTime(seconds: 1))
        return .run(control)
    }()

    @Test func loadingAndCompilingStopWithTheReason() throws {
        let path = TestPaths.writeSuite(
            """
            {"format": 1, "name": "s", "base_url": "http://127.0.0.1:9",
             "cases": [{"name": "a", "request": {"method": "GET", "path": "/"}, "expect": {"status": 200}}]}
            """)
        let loaded = SuiteLoader().load(path, deadline: Self.interrupted)
        #expect(loaded.failureDescriptions == ["\(path):2:12: error: loading stopped: --max-time 1 s ran out"])
        let schema = try JSONNodeParser.parse(Array(#"{"type": "object"}"#.utf8))
        switch JSONSchema.compile(schema, file: "schema.json", deadline: Self.interrupted) {
        case .success: Issue.record("the schema compiled after its deadline")
        case .failure(let error):
            #expect(
                error.diagnostics.map(\.description) == [
                    "schema.json:1:1: error: compiling the schema stopped: --max-time 1 s ran out"
                ])
        }
        #expect(SuiteCompiler().loadEach([path, path], deadline: Self.interrupted).allSatisfy { $0 == nil })
    }

    /// Interrupted before any suite was loaded: every suite given has a plan with no case and the warning
    /// that says why, against no target; the report paths are checked as usual.
    @Test func planningInterruptedPlansEverySuiteAsNotLoaded() throws {
        let folder = TestPaths.temporaryDirectory()
        var options = RunOptions(suitePaths: [TestPaths.suite("pitchpoint.json"), TestPaths.suite("concur.json")])
        options.junitPath = folder.appendingPathComponent("r.xml").path
        let planner = RunPlanner(options: options, environment: [:], secrets: SecretStore())
        let plans = try planner.plan(deadline: Self.interrupted)
        #expect(plans.map(\.suite.name) == ["pitchpoint", "concur"])
        #expect(plans.allSatisfy { $0.cases.isEmpty && $0.mock == nil && $0.baseURL == nil })
        #expect(
            plans.map { $0.warnings.map(\.description) }
                == Array(
                    repeating: ["warning [suite]: not loaded: --max-time 1 s ran out while the suites were loading"],
                    count: 2))
        #expect(
            plans.map(\.targetDescription)
                == Array(repeating: "no target (the run stopped while the suites were loading)", count: 2))
        // A report over one of the inputs is refused even so.
        options.junitPath = TestPaths.suite("concur.json")
        #expect(throws: PlanningError.self) {
            try RunPlanner(options: options, environment: [:], secrets: SecretStore()).plan(deadline: Self.interrupted)
        }
    }
}

extension Result where Failure == SuiteLoadError {
    fileprivate var failureDescriptions: [String] {
        guard case .failure(let error) = self else { return [] }
        return error.diagnostics.map(\.description)
    }
}
