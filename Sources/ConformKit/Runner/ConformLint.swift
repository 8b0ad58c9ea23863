/// `conform lint`: the planning of `conform run` (options, suite files, variables, selection, report
/// paths) without sending anything, starting a mock, or creating a folder.
public enum ConformLint {
    public static func run(
        _ options: RunOptions, environment: [String: String], output: any TextOutput, errors: any TextOutput
    ) -> ExitStatus {
        var planner = RunPlanner(options: options, environment: environment)
        planner.createReportFolders = false
        for schema in planner.skippedSchemas {
            errors.write("conform: note: skipping \(schema): a JSON Schema, not a suite\n")
        }
        do {
            for plan in try planner.plan() {
                let target =
                    plan.mock.map { "the embedded \($0.kind.rawValue) mock" } ?? plan.baseURL?.absoluteString ?? "?"
                let count = plan.cases.count
                output.write("\(plan.suite.file): ok, \(count) case\(count == 1 ? "" : "s") against \(target)\n")
            }
            return .passed
        } catch {
            errors.write(error.lines.joined(separator: "\n") + "\n")
            return .invalid
        }
    }
}
