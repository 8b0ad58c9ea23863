import Foundation

/// `conform run`: the one entry point the command line calls.
///
/// 1. check the invocation and load every suite (all problems reported at once);
/// 2. plan each suite: its target, its variables, its report path. Any problem so far exits 2 and
///    nothing has been sent;
/// 3. run each suite (``SuiteRunner``), starting its embedded mock when it has no other target;
/// 4. write the reports atomically and print one summary per suite; then the combined JUnit report, the
///    HTML page, the GitHub Actions annotations and summary, and the JSON results, as asked.
public enum ConformRun {
    public static func run(
        _ options: RunOptions, environment: [String: String], output: any TextOutput, errors: any TextOutput
    ) async -> ExitStatus {
        // With --format json, standard output carries the JSON alone.
        let consoleStream = options.format == .json ? errors : output
        let console = ConsoleReporter(output: consoleStream, environment: environment, verbose: options.verbose)
        let plans: [SuitePlan]
        let planner = RunPlanner(options: options, environment: environment)
        for schema in planner.skippedSchemas {
            errors.write("conform: note: skipping \(schema): a JSON Schema, not a suite\n")
        }
        do {
            plans = try planner.plan()
        } catch {
            errors.write(error.lines.joined(separator: "\n") + "\n")
            return .invalid
        }
        if plans.isEmpty, let shard = options.shard {
            console.message("conform: shard \(shard) has no cases to run")
        }
        let secrets = SecretStore()
        for plan in plans {
            for secret in plan.secretValues { secrets.add(secret) }
        }
        // Enough pooled connections for the most concurrent case.
        let connections = plans.flatMap { $0.suite.cases.compactMap(\.concurrency) } + [options.concurrency ?? 1, 8]
        let transport: HTTPTransport
        do {
            transport = try HTTPTransport(
                TransportConfiguration(
                    timeoutSeconds: options.timeoutSeconds, maxBodyBytes: options.maxBodyBytes,
                    maxConnectionsPerHost: connections.max() ?? 8))
        } catch {
            errors.write("conform: error: \(error)\n")
            return .invalid
        }
        let repetition = Repetition(samples: options.repeatCount, concurrency: options.concurrency)
        var results: [SuiteResult] = []
        var status = ExitStatus.passed
        for plan in plans {
            guard
                let result = await run(
                    plan, transport: transport, repetition: repetition, secrets: secrets, console: console,
                    errors: errors)
            else {
                status = .invalid
                continue
            }
            results.append(result)
            if !result.succeeded, status == .passed { status = .failed }
            if options.junitPath == nil {
                let written = writeReport(plan.reportPath, errors: errors) {
                    try JUnitWriter.document(for: [result], secrets: secrets)
                }
                if !written { status = .invalid }
            }
            console.suiteFinished(result, reportPath: plan.reportPath)
        }
        await transport.shutdown()
        if let junitPath = options.junitPath {
            let written = writeReport(junitPath, errors: errors) {
                try JUnitWriter.document(for: results, secrets: secrets)
            }
            if !written { status = .invalid }
        }
        if let htmlPath = options.htmlReportPath {
            let written = writeReport(htmlPath, errors: errors) {
                try HTMLReportWriter.document(for: results, secrets: secrets)
            }
            if !written { status = .invalid }
        }
        if GitHubActions.isActive(environment) {
            for result in results {
                for annotation in GitHubActions.annotations(for: result, secrets: secrets) {
                    consoleStream.write(annotation + "\n")
                }
            }
            do {
                try GitHubActions.appendSummary(
                    GitHubActions.summary(for: results, secrets: secrets), environment: environment)
            } catch {
                errors.write("conform: warning: cannot append to GITHUB_STEP_SUMMARY: \(error.localizedDescription)\n")
            }
        }
        if options.format == .json {
            output.write(
                String(
                    decoding: JSONResults(results: results, exitStatus: status, secrets: secrets).encoded(),
                    as: UTF8.self) + "\n")
        }
        return status
    }

    private static func run(
        _ plan: SuitePlan, transport: any Transport, repetition: Repetition, secrets: SecretStore,
        console: ConsoleReporter,
        errors: any TextOutput
    ) async -> SuiteResult? {
        var baseURL = plan.baseURL
        var target = "target \(plan.baseURL?.absoluteString ?? "")"
        var server: MockServer?
        if let mock = plan.mock {
            do {
                server = try await MockServer.start(mock.endpoint, configuration: mock.configuration)
            } catch {
                errors.write("conform: error: cannot start the embedded \(mock.kind.rawValue) mock: \(error)\n")
                return nil
            }
            let deviation = mock.configuration.deviation.map { ", deviation \($0.rawValue)" } ?? ""
            if let server {
                baseURL = server.baseURL
                target = "embedded mock \(mock.kind.rawValue) at \(server.baseURL.absoluteString)\(deviation)"
            }
        }
        guard let baseURL else { return nil }
        let runner = SuiteRunner(
            suite: plan.suite, cases: plan.cases, pulledIn: plan.pulledIn, baseURL: baseURL, targetDescription: target,
            values: plan.values,
            transport: transport, secrets: secrets, repetition: repetition)
        let result = await runner.run(console: console)
        await server?.stop()
        return result
    }

    /// Writes a report atomically, or says on standard error why it cannot.
    private static func writeReport(_ path: String, errors: any TextOutput, _ document: () throws -> Data) -> Bool {
        do {
            try ReportFile.write(try document(), to: path)
            return true
        } catch let error as ReportFileError {
            errors.write("conform: error: \(error)\n")
        } catch {
            errors.write("conform: error: cannot write the report \(path): \(error)\n")
        }
        return false
    }
}
