import Foundation

/// GitHub Actions integration, on when `GITHUB_ACTIONS=true`: each failed or errored case becomes an
/// `::error` annotation on its line of the suite file, and a Markdown summary of the run is appended to
/// the file named by `GITHUB_STEP_SUMMARY`.
///
/// GitHub places an annotation by a path relative to the repository, `GITHUB_WORKSPACE`: a suite inside it
/// is named that way wherever conform runs from (a step with `working-directory: tests`); a suite outside
/// it, or a run without `GITHUB_WORKSPACE`, is named as it was given.
enum GitHubActions {
    /// Where the suite files are, for the paths annotations and the summary give.
    struct Workspace: Sendable {
        /// `GITHUB_WORKSPACE`, when set.
        var root: String?
        /// The folder a relative suite path is relative to.
        var currentDirectory: String

        init(root: String?, currentDirectory: String = FileManager.default.currentDirectoryPath) {
            self.root = root.flatMap { $0.isEmpty ? nil : $0 }
            self.currentDirectory = currentDirectory
        }

        init(_ environment: [String: String]) {
            self.init(root: environment["GITHUB_WORKSPACE"])
        }

        /// `suites/pitchpoint.json` for `/home/runner/work/app/app/suites/pitchpoint.json` in the workspace
        /// `/home/runner/work/app/app`, or `pitchpoint.json` given in its folder; the path as given otherwise.
        func path(of file: String) -> String {
            guard let root else { return file }
            let absolute = file.hasPrefix("/") ? file : currentDirectory + "/" + file
            let resolved = Self.resolved(absolute)
            let base = Self.resolved(root)
            let prefix = base.hasSuffix("/") ? base : base + "/"
            return resolved.hasPrefix(prefix) ? String(resolved.dropFirst(prefix.count)) : file
        }

        /// The path with `.`, `..` and symbolic links resolved, as far as it exists.
        private static func resolved(_ path: String) -> String {
            URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        }
    }

    static func isActive(_ environment: [String: String]) -> Bool {
        environment["GITHUB_ACTIONS"] == "true"
    }

    /// The file the run's summary is appended to, `GITHUB_STEP_SUMMARY`, when conform runs in GitHub Actions.
    /// It holds the summaries of the job's earlier steps: an output of the run that no report may replace.
    static func stepSummaryPath(_ environment: [String: String]) -> String? {
        guard isActive(environment), let path = environment["GITHUB_STEP_SUMMARY"], !path.isEmpty else { return nil }
        return path
    }

    /// `::error file=suites/pitchpoint.json,line=38,title=pitchpoint › refresh with valid token::…`
    static func annotations(for result: SuiteResult, in workspace: Workspace = Workspace(root: nil)) -> [String]
    {
        result.cases.compactMap { testCase in
            let message: String
            switch testCase.outcome {
            case .failed:
                message = headline(testCase)
            case .errored:
                message = "error: \(testCase.transportFailure?.description ?? "the request failed")"
            case .passed, .skipped:
                return nil
            }
            var properties = [("file", workspace.path(of: result.suiteFile))]
            if let line = testCase.line { properties.append(("line", String(line))) }
            properties.append(("title", "\(result.suiteName) › \(testCase.name)"))
            let fields = properties.map { "\($0.0)=\(escapeProperty($0.1))" }.joined(separator: ",")
            return "::error \(fields)::\(escapeData(message))"
        }
    }

    /// The run in Markdown: totals per suite, every failure and error, latency of repeated cases.
    static func summary(for results: [SuiteResult], in workspace: Workspace = Workspace(root: nil)) -> String {
        var lines: [String] = []
        let cases = results.flatMap(\.cases)
        let count = { (outcome: CaseResult.Outcome) in cases.filter { $0.outcome == outcome }.count }
        lines.append("## conform: \(count(.failed) + count(.errored) == 0 ? "passed" : "failed")")
        lines.append("")
        lines.append("| Suite | Cases | Passed | Failed | Errors | Skipped | Warnings | Time |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|")
        for result in results {
            let seconds = String(format: "%.2f s", result.duration.milliseconds / 1000)
            lines.append(
                "| \(markdown(result.suiteName)) | \(result.cases.count) | \(result.count(.passed)) | \(result.count(.failed)) "
                    + "| \(result.count(.errored)) | \(result.count(.skipped)) | \(result.warningCount) | \(seconds) |")
        }
        for notice in Set(results.flatMap { $0.suiteWarnings.map(\.message) }).sorted() {
            lines += ["", "> **Warning:** \(markdown(notice))"]
        }
        let problems = results.flatMap { result in
            result.cases.filter { $0.outcome == .failed || $0.outcome == .errored }.map { (result, $0) }
        }
        if !problems.isEmpty {
            lines += ["", "### Failures and errors", ""]
            for (result, testCase) in problems {
                let file = workspace.path(of: result.suiteFile)
                let place = testCase.line.map { "\(file):\($0)" } ?? file
                let first =
                    testCase.outcome == .errored
                    ? "error: \(testCase.transportFailure?.description ?? "the request failed")" : headline(testCase)
                lines.append(
                    "- **\(markdown(result.suiteName)) › \(markdown(testCase.name))** (`\(place)`): \(markdown(first))")
            }
        }
        let repeated = results.flatMap { result in
            result.cases.compactMap { testCase in testCase.latency.map { (result, testCase, $0) } }
        }
        if !repeated.isEmpty {
            lines += [
                "", "### Latency", "", "| Case | Samples | p50 | p95 | p99 | max |", "|---|---:|---:|---:|---:|---:|",
            ]
            for (result, testCase, latency) in repeated {
                let ms = { (statistic: LatencyStatistic) in "\(Milliseconds.text(latency.value(statistic))) ms"
                }
                lines.append(
                    "| \(markdown(result.suiteName)) › \(markdown(testCase.name)) | \(latency.samples) | \(ms(.p50)) | \(ms(.p95)) | \(ms(.p99)) | \(ms(.max)) |"
                )
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The first failure, after the sample count of a repeated case:
    /// "3 of 3 samples failed (body 3): body: pitchpoint.token: expires_in: expected a JSON number, …".
    static func headline(_ testCase: CaseResult) -> String {
        let failures = testCase.failures
        let samples = failures.first { $0.check == .samples }?.message
        let checks = failures.filter { $0.check != .samples }
        var text = checks.first.map { "\($0.check.label): \($0.message)" } ?? ""
        if checks.count > 1 { text += " (and \(checks.count - 1) more)" }
        guard let samples else { return text.isEmpty ? "failed" : text }
        return text.isEmpty ? samples : "\(samples): \(text)"
    }

    /// Workflow-command escaping of a message (GitHub's toolkit: `%`, CR, LF).
    static func escapeData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    /// Workflow-command escaping of a property value: also `:` and `,`.
    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }

    /// Text that cannot break the Markdown table or inject HTML. Every character it changes becomes a
    /// character reference, an escape the masker reads, so that a secret with a `|` or a line break in it is
    /// still found when the summary leaves through the ``OutputBoundary``.
    static func markdown(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "|", with: "&#124;")
            .replacingOccurrences(of: "\r", with: "&#13;").replacingOccurrences(of: "\n", with: "&#10;")
    }
}
