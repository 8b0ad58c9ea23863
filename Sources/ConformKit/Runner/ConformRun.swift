import ConformSupport
import ConformHTTP
import Foundation

/// `conform run`: the one entry point the command line calls.
///
/// 1. check the invocation and load every suite (all problems reported at once), on a thread of its own
///    while signals and `--max-time` are already watched: an interruption stops loading and compiling, and
///    the reports say which suites were loaded;
/// 2. plan each suite: its target, its variables, its report path. Any problem so far exits 2 and
///    nothing has been sent;
/// 3. run each suite (``SuiteRunner``), starting its embedded mock when it has no other target; every request
///    of the run waits for its slot under `--rate` (``RequestPacer``), and `--fail-fast` skips what follows
///    the first failed or errored case;
/// 4. write each suite's report and print its summary; then every file output the options ask for, through
///    one ``Reporter`` each (``RunReporters``): the combined JUnit report, the HTML page, the HAR archive, the
///    baseline, the GitHub Actions annotations and summary, and the JSON results.
package enum ConformRun {
    package static func run(
        _ options: RunOptions, environment: [String: String], output: any TextOutput, errors: any TextOutput,
        diagnostics: any DiagnosticConsumer
    ) async -> ExitStatus {
        let secrets = SecretStore()
        let boundary = OutputBoundary(
            secrets: secrets, output: output, errors: errors, diagnostics: diagnostics, environment: environment)
        // Reading the suites and probing the report folders need descriptors too: a limit too low for any run
        // is said before them, not met as "Too many open files" on whichever file came first.
        if let shortfall = FileDescriptorLimit.shortfall(
            connectionDescriptors: 0, eventLoops: HTTPTransport.defaultEventLoopThreads)
        {
            boundary.diagnose(
                .error(
                    "a run needs at least \(shortfall.needed) file descriptors, more than the limit of \(shortfall.limit) (ulimit -n); raise it (ulimit -n, ulimit -Hn)"
                ))
            return .invalid
        }
        // With --format json, standard output carries the JSON alone.
        let consoleStream: OutputBoundary.Stream = options.format == .json ? .error : .output
        let console = ConsoleReporter(boundary: boundary, stream: consoleStream, verbose: options.verbose)
        let plans: [SuitePlan]
        let planner = RunPlanner(options: options, environment: environment, secrets: secrets)
        for note in planner.skippedSchemaNotes { boundary.diagnose(note) }
        // Watched from the start: loading and compiling count against --max-time, and a signal while they
        // run stops them and still writes the reports.
        let control = RunControl()
        let interruptions = Task { await watchInterruptions(control, options: options) }
        let baseline: Baseline?
        switch await onOwnThread({ () -> Result<([SuitePlan], Baseline?), PlanningError> in
            do throws(PlanningError) {
                return .success((try planner.plan(deadline: .run(control)), try planner.baseline()))
            } catch {
                return .failure(error)
            }
        }) {
        case .success(let planned):
            (plans, baseline) = planned
            // Warnings about the suite files (a `${…}` where a literal is taken) never stop the run.
            for warning in plans.flatMap(\.suite.warnings) { boundary.diagnose(RunDiagnostic(warning)) }
        case .failure(let error):
            interruptions.cancel()
            boundary.diagnose(error.diagnostics)
            return .invalid
        }
        if plans.isEmpty, let shard = options.shard {
            console.message("conform: shard \(shard) has no cases to run")
        }
        // Enough pooled connections for the most concurrent case.
        let connections = plans.flatMap { $0.suite.cases.compactMap(\.concurrency) } + [options.concurrency ?? 1, 8]
        if let refusal = descriptorShortfall(plans, options: options) {
            interruptions.cancel()
            boundary.diagnose(.error(refusal))
            return .invalid
        }
        let transport: HTTPTransport
        let mockTLS: MockTLS?
        do {
            // One certificate for every embedded mock of the run, trusted by this run alone.
            mockTLS = options.mockTLS ? MockTLS(certificate: try MockCertificate.selfSigned()) : nil
            var tls = options.tlsOptions(environment: environment)
            tls.minimumVersion = plans.map(\.suite.tlsPolicy.minimumVersion).min() ?? .tls12
            if let mockTLS { tls.additionalTrustRoots.append(mockTLS.certificate.certificate) }
            var proxy = try ProxyConfiguration.fromEnvironment(environment, override: options.proxy)
            // The embedded mocks listen on loopback in this process: never through a proxy.
            if plans.contains(where: { $0.mock != nil }) { proxy.noProxy += NoProxyRule.loopback }
            for secret in proxy.secrets { secrets.add(secret, origin: "the proxy's credentials") }
            transport = try HTTPTransport(
                TransportConfiguration(
                    timeoutSeconds: options.timeoutSeconds, maxBodyBytes: options.maxBodyBytes,
                    maxConnectionsPerHost: connections.max() ?? 8, tls: tls, proxy: proxy))
        } catch {
            interruptions.cancel()
            boundary.diagnose(.error("\(error)"))
            return .invalid
        }
        // Said on the console now and in every suite's reports.
        var runWarnings: [Finding] = []
        if options.insecure {
            let warning = Finding.warning(
                .tlsInsecure,
                "--insecure: server certificates were not verified (chain, dates, names); this run proves nothing about the endpoint's TLS"
            )
            runWarnings.append(warning)
            boundary.diagnose(.warning(warning.message))
        }
        if let note = baseline?.legacyNote { boundary.diagnose(.note(note)) }
        let progress = RunProgress()
        // The archive's entries wait beside it, in a folder the planner checked can be written.
        let har = options.harPath.map {
            HARRecorder(spillFolder: URL(fileURLWithPath: $0).deletingLastPathComponent().path)
        }
        let pacer = options.requestsPerSecond.map { RequestPacer(perSecond: $0) }
        // The live outputs besides the console, which each suite's runner puts first.
        let observers: [any RunObserver] = har.map { [progress, $0] } ?? [progress]
        let watching = Task {
            await watchProgress(progress, boundary: boundary, stream: consoleStream)
        }
        // Everything that sends runs in this task, which an interruption cancels; reports are written after.
        let sending = Task { () -> (results: [SuiteResult], status: ExitStatus) in
            var results: [SuiteResult] = []
            var status = ExitStatus.passed
            for plan in plans {
                var runner = SuiteRunner(
                    compiled: plan.compiled, cases: plan.cases, pulledIn: plan.pulledIn,
                    baseURL: plan.baseURL ?? URL(fileURLWithPath: "/"), targetDescription: plan.targetDescription,
                    values: plan.values, transport: transport, secrets: secrets,
                    repetition: plan.repetition(options))
                runner.caseTime = .nanoseconds(Int64(options.maxCaseTimeSeconds * 1e9))
                runner.control = control
                runner.observers = RunObservers(observers)
                runner.baseline = baseline
                runner.mockTLS = mockTLS
                runner.runWarnings = runWarnings + plan.warnings
                runner.pacer = pacer
                runner.failFast = options.failFast
                guard let result = await run(plan, runner: runner, boundary: boundary, console: console) else {
                    status = .invalid
                    continue
                }
                results.append(result)
                if !result.succeeded, status == .passed { status = .failed }
                status = RunReporters.write(
                    RunReporters.suiteReporters(for: options, reportPath: plan.reportPath), results: [result],
                    status: status, boundary: boundary)
                boundary.clearProgress()
                RunObservers([console] + observers).suiteFinished(result, reportPath: plan.reportPath)
            }
            return (results, status)
        }
        control.onInterrupt { sending.cancel() }
        let (results, sent) = await sending.value
        watching.cancel()
        interruptions.cancel()
        boundary.clearProgress()
        var status = sent
        if let cause = control.failedFast, control.interruption == nil {
            boundary.diagnose(RunDiagnostic(.outcome, "stopped by \(cause); the reports hold what was done"))
        }
        if let interruption = control.interruption {
            boundary.diagnose(RunDiagnostic(.outcome, "\(interruption.cause); the reports hold what was done"))
            status = interruption.exitStatus(after: status)
        }
        await transport.shutdown()
        let reporters = RunReporters.fileReporters(
            for: options, environment: environment, har: har, console: consoleStream)
        return RunReporters.write(reporters, results: results, status: status, boundary: boundary)
    }

    /// Every connection is a file descriptor (two when the embedded mock serves it in this process): a run
    /// whose concurrency the limit cannot carry is refused before anything is sent, rather than met as
    /// "cannot connect" errors that blame the endpoint. Idle connections to a live target stay open while
    /// other suites run, so each target counts; the embedded mocks run one at a time.
    static func descriptorShortfall(_ plans: [SuitePlan], options: RunOptions) -> String? {
        let atOnce =
            (plans.flatMap { $0.suite.cases.compactMap(\.concurrency) } + [options.concurrency ?? 1]).max() ?? 1
        let liveTargets = Set(
            plans.compactMap { $0.mock == nil ? $0.baseURL.map { "\($0.host ?? ""):\($0.port ?? 0)" } : nil })
        let mocks = plans.contains { $0.mock != nil }
        guard
            let shortfall = FileDescriptorLimit.shortfall(
                connectionDescriptors: atOnce * (liveTargets.count + (mocks ? 2 : 0)),
                eventLoops: HTTPTransport.defaultEventLoopThreads + (mocks ? 1 : 0))
        else { return nil }
        let served = mocks ? ", each also served by the embedded mock in this process" : ""
        return
            "concurrency \(atOnce) needs up to \(shortfall.needed) file descriptors (\(atOnce) connection\(atOnce == 1 ? "" : "s") at once\(served)), more than the limit of \(shortfall.limit) (ulimit -n); lower --concurrency or raise the hard limit (ulimit -Hn)"
    }

    private static func run(
        _ plan: SuitePlan, runner: SuiteRunner, boundary: OutputBoundary, console: ConsoleReporter
    ) async -> SuiteResult? {
        var runner = runner
        var server: MockServer?
        if let mock = plan.mock, runner.control.interruption == nil, runner.control.failedFast == nil {
            do {
                server = try await MockServer.start(
                    mock.endpoint, configuration: mock.configuration, tls: runner.mockTLS)
            } catch {
                boundary.diagnose(.error("cannot start the embedded \(mock.definition.name) mock: \(error)"))
                return nil
            }
            let deviation = mock.configuration.deviation.map { ", deviation \($0)" } ?? ""
            if let server {
                // Like `conform mock`, say which credentials the mock accepts; secrets print as ***.
                let accepted = server.credentials.entries.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
                boundary.diagnose(.note("the embedded \(mock.definition.name) mock accepts \(accepted)"))
                runner.baseURL = server.baseURL
                // A variable holding the mock's base URL (the `oidc` mock's issuer) gets the real one.
                runner.values.variables = runner.values.variables.mapValues {
                    MockCredentials.resolvingBaseURL($0, server.baseURL)
                }
                runner.targetDescription =
                    "embedded mock \(mock.definition.name) at \(server.baseURL.absoluteString)\(deviation)"
            }
        }
        // Not reached before an interruption: every case is skipped, and the reports still list them.
        let result = await runner.run(console: console)
        await server?.stop()
        return result
    }
}
