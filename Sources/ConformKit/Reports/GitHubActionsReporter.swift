import Foundation

/// Under GitHub Actions: an annotation per failed case on the console stream, and the run's table appended
/// to `GITHUB_STEP_SUMMARY` (``GitHubActions``). A summary that cannot be appended is a warning: it never
/// changes the exit status.
struct GitHubActionsReporter: Reporter {
    var environment: [String: String]
    /// Where the annotations go: the console's stream (standard error with `--format json`).
    var stream: OutputBoundary.Stream

    func write(_ run: RunReport, to boundary: OutputBoundary) throws {
        let workspace = GitHubActions.Workspace(environment)
        for result in run.results {
            for annotation in GitHubActions.annotations(for: result, in: workspace) {
                boundary.command(annotation, to: stream)
            }
        }
        guard let path = GitHubActions.stepSummaryPath(environment) else { return }
        do {
            try boundary.append(GitHubActions.summary(for: run.results, in: workspace), to: path)
        } catch {
            boundary.diagnose(.warning("cannot append to GITHUB_STEP_SUMMARY: \(error)"))
        }
    }
}
