import ConformHTTP
import ConformJSON
import ConformRegex
import ConformSupport
import Foundation

/// Checks the invocation, loads the suites and plans each run; everything that can be known before a
/// request is sent is checked here.
struct RunPlanner {
    var options: RunOptions
    var environment: [String: String]
    /// Where the values of secret variables and the mocks' secret credentials are registered as soon as they
    /// are resolved, so that any problem printed after shows them masked.
    var secrets: SecretStore
    /// `conform lint` checks that report folders could be made and written, leaving nothing behind.
    var createReportFolders = true
    /// `conform lint`: nothing will be sent, so a suite needs no target and its required variables no
    /// values (a pull-request job has no secrets); everything else is checked as `run` checks it.
    var offline = false

    /// The suite files to load: a JSON Schema (`*.schema.json`) caught by a glob such as `suites/*.json` is
    /// left out, with a note.
    var suitePaths: [String] { options.suitePaths.filter { !$0.hasSuffix(".schema.json") } }

    var skippedSchemas: [String] { options.suitePaths.filter { $0.hasSuffix(".schema.json") } }

    /// A note for each JSON Schema given among the suites: it is skipped.
    var skippedSchemaNotes: [RunDiagnostic] {
        skippedSchemas.map { .note("skipping \($0): a JSON Schema, not a suite") }
    }

    /// The baseline named by `--baseline`, read when the run is planned (``plan()``).
    func baseline() throws(PlanningError) -> Baseline? {
        guard let path = options.baselinePath else { return nil }
        do {
            return try Baseline.load(path)
        } catch {
            throw PlanningError(diagnostics: [.error("\(error)")])
        }
    }

    /// Every suite planned, or every problem found. Loading and compiling stop when `deadline` passes (the
    /// run is interrupted): every suite given still gets a plan, which sends nothing
    /// (``interruptedPlans(_:reason:)``).
    func plan(deadline: WorkDeadline = .never) throws(PlanningError) -> [SuitePlan] {
        var problems: [RunDiagnostic] = []
        func problem(_ text: String) { problems.append(.error(text)) }
        if suitePaths.isEmpty { problem("no suite given: conform run SUITE.json...") }
        if let range = ConformLimits.range(
            options.timeoutSeconds, above: 0, atMost: ConformLimits.timeoutSeconds, "seconds")
        {
            problem("--timeout \(range)")
        }
        if let seconds = options.maxTimeSeconds,
            let range = ConformLimits.range(seconds, above: 0, atMost: ConformLimits.runSeconds, "seconds")
        {
            problem("--max-time \(range)")
        }
        if let range = ConformLimits.range(
            options.maxCaseTimeSeconds, above: 0, atMost: ConformLimits.runSeconds, "seconds")
        {
            problem("--max-case-time \(range)")
        }
        if !(1...ConformLimits.bodyBytes).contains(options.maxBodyBytes) {
            problem("--max-body must be from 1 to \(ConformLimits.bodyBytes) bytes, got \(options.maxBodyBytes)")
        }
        if let count = options.repeatCount,
            let range = ConformLimits.range(count, from: 1, atMost: ConformLimits.samples)
        {
            problem("--repeat \(range)")
        }
        if let rate = options.requestsPerSecond,
            let range = ConformLimits.range(
                rate, above: 0, atMost: ConformLimits.requestsPerSecond, "requests per second")
        {
            problem("--rate \(range)")
        }
        if let count = options.concurrency,
            let range = ConformLimits.range(count, from: 1, atMost: ConformLimits.concurrency)
        {
            problem("--concurrency \(range)")
        }
        var baseURL: URL?
        if let text = options.baseURL {
            switch BaseURL.parse(text) {
            case .success(let url): baseURL = url
            case .failure(let reason): problem("--base-url \(reason)")
            }
            if options.live { problem("--live and --base-url exclude each other") }
        }
        let overrides = overrides(&problems)
        // TLS files and proxies are read now, so that a bad one exits 2 before anything is sent.
        do {
            let tls = options.tlsOptions(environment: environment)
            _ = try TLSClient(tls)
            if baseURL.map({ $0.scheme == "https" }) ?? options.live { try TLSClient.checkSystemBundle(tls) }
            _ = try ProxyConfiguration.fromEnvironment(environment, override: options.proxy)
        } catch {
            problem(error.description)
        }
        if options.mockTLS && (baseURL != nil || options.live) {
            problem("--mock-tls applies to the embedded mock only, not to --base-url or --live")
        }
        var deviation: String?
        if let name = options.mockDeviation {
            deviation = name
            if MockRegistry.mocks(with: name).isEmpty {
                deviation = nil
                let names = MockRegistry.all.flatMap(\.allDeviations).map(\.name)
                problem(
                    "unknown mock deviation '\(name)'\(Suggestion.hint(for: name, in: names)) (see conform mock --list-deviations)"
                )
            }
            if baseURL != nil || options.live {
                problem("--mock-deviation applies to the embedded mock only, not to --base-url or --live")
            }
        }
        if let range = ConformLimits.range(
            options.mockDelayMilliseconds, from: 0, atMost: ConformLimits.mockDelayMilliseconds, "milliseconds")
        {
            problem("--mock-delay-ms \(range)")
        } else if options.mockDelayMilliseconds > 0 && (baseURL != nil || options.live) {
            problem("--mock-delay-ms applies to the embedded mock only, not to --base-url or --live")
        }
        let selection = selection(&problems)
        let loaded = SuiteCompiler().loadEach(suitePaths, deadline: deadline)
        if let reason = deadline.stopReason() {
            if !problems.isEmpty { throw PlanningError(diagnostics: problems) }
            return try interruptedPlans(loaded, reason: reason)
        }
        var compiled: [CompiledSuite] = []
        var diagnostics: [Diagnostic] = []
        for result in loaded {
            switch result {
            case .success(let suite)?: compiled.append(suite)
            case .failure(let error)?: diagnostics += error.diagnostics
            case nil: break
            }
        }
        if !diagnostics.isEmpty { throw PlanningError(diagnostics: problems + diagnostics.map(RunDiagnostic.init)) }
        let suites = compiled.map(\.suite)
        if let (name, stop) = selection.unmatchableName(in: suites), let filter = selection.filter {
            problem(
                "--filter \(JSONValue.quoted(filter)) on the case name \(JSONValue.quoted(name, limit: 60)): \(stop)")
            throw PlanningError(diagnostics: problems)
        }
        let selected = selection.apply(suites)
        if !selection.selectsEverything, selection.choose(suites).allSatisfy(\.cases.isEmpty) {
            problem("no case matches \(describe(selection))")
        }
        if overrides.incomplete { throw PlanningError(diagnostics: problems) }
        let readFromEnvironment = Self.environmentNames(suites)
        problems += Self.unknownNames(
            overrides, defined: Set(suites.flatMap { $0.variables.map(\.name) }), environment: readFromEnvironment)
        let fileEnvironment = overrides.fileEnvironment.filter { readFromEnvironment.contains($0.key) }
        var plans: [SuitePlan] = []
        var reportPaths: [String: String] = [:]
        for (chosen, compiled) in zip(selected, compiled) where !chosen.cases.isEmpty {
            let suite = chosen.suite
            guard
                var plan = planSuite(
                    compiled, cases: chosen.cases, baseURL: baseURL, deviation: deviation, overrides: overrides.values,
                    fileEnvironment: fileEnvironment, problems: &problems)
            else {
                continue
            }
            plan.pulledIn = chosen.pulledIn
            if options.junitPath == nil, let other = reportPaths[plan.reportPath] {
                problem(
                    "\(suite.file) and \(other) would both write \(plan.reportPath); pass --junit PATH for one combined report"
                )
            }
            reportPaths[plan.reportPath] = suite.file
            plans.append(plan)
        }
        if let path = options.baselinePath {
            do {
                _ = try Baseline.load(path)
            } catch {
                problem(error.description)
            }
        }
        problems += checkReports(plans, inputs: compiled.flatMap(\.inputFiles))
        if !problems.isEmpty { throw PlanningError(diagnostics: problems) }
        return plans
    }

    /// The report paths: none replaces an input of the run (`inputs` and those the options name) or another
    /// report, and each folder can be made (`conform lint`: written).
    func checkReports(_ plans: [SuitePlan], inputs: [String]) -> [RunDiagnostic] {
        var problems = Self.overwrittenInputs(
            reports: reportOptions(plans),
            inputs: inputs + (options.baselinePath.map { [$0] } ?? []) + options.variableFiles
                + options.caCertificatePaths + [options.clientCertificatePath, options.clientKeyPath].compactMap { $0 },
            stepSummary: GitHubActions.stepSummaryPath(environment)
        ).map { RunDiagnostic.error($0) }
        var folders = Set(plans.map(\.reportPath))
        if let junit = options.junitPath { folders.insert(junit) }
        if let html = options.htmlReportPath { folders.insert(html) }
        if let written = options.writeBaselinePath { folders.insert(written) }
        if let har = options.harPath { folders.insert(har) }
        for path in folders.sorted() {
            do {
                if createReportFolders {
                    try ReportFile.prepareDirectory(for: path)
                } else {
                    try ReportFile.checkWritable(path)
                }
            } catch {
                problems.append(.error(error.description))
            }
        }
        return problems
    }

    /// Every report the run writes, with the option that names it.
    func reportOptions(_ plans: [SuitePlan]) -> [(option: String, path: String)] {
        var reports: [(option: String, path: String)] = []
        if let junit = options.junitPath {
            reports.append(("--junit", junit))
        } else {
            // Two suites with one default report are reported where the plans are made.
            var seen: Set<String> = []
            reports += plans.filter { seen.insert($0.reportPath).inserted }.map {
                ("the report of \($0.suite.file)", $0.reportPath)
            }
        }
        if let html = options.htmlReportPath { reports.append(("--report-html", html)) }
        if let baseline = options.writeBaselinePath { reports.append(("--write-baseline", baseline)) }
        if let har = options.harPath { reports.append(("--har", har)) }
        return reports
    }

    /// A report path that names an input of the run (a suite, a schema), the GitHub step summary the run
    /// appends to, or another report: writing it would replace a file conform was given to read, the summaries
    /// of the job's earlier steps, or a report.
    static func overwrittenInputs(
        reports: [(option: String, path: String)], inputs: [String], stepSummary: String? = nil
    ) -> [String] {
        var problems: [String] = []
        let inputIdentities =
            inputs.map { (path: $0, role: "an input of this run", identity: FileIdentity($0)) }
            + [stepSummary].compactMap { $0 }.map {
                (path: $0, role: "the GitHub step summary ($GITHUB_STEP_SUMMARY)", identity: FileIdentity($0))
            }
        var written: [(option: String, path: String, identity: FileIdentity)] = []
        for report in reports {
            let identity = FileIdentity(report.path)
            if let input = inputIdentities.first(where: { $0.identity == identity }) {
                problems.append(
                    "\(report.option) \(report.path) is \(input.path), \(input.role): conform would replace it")
            } else if let other = written.first(where: { $0.identity == identity }) {
                problems.append(
                    "\(report.option) \(report.path) is also \(other.option) \(other.path): one report would replace the other"
                )
            }
            written.append((report.option, report.path, identity))
        }
        return problems
    }

    /// `--filter`, `--tag`, `--skip-tag` and `--shard`, checked.
    private func selection(_ problems: inout [RunDiagnostic]) -> CaseSelection {
        // An invalid tag is reported once, not again as "no case matches".
        var selection = CaseSelection(
            tags: options.tags.filter(SuiteFileReader.isTag), skipTags: options.skipTags.filter(SuiteFileReader.isTag))
        if let filter = options.filter {
            do {
                _ = try LinearRegex(filter)
                selection.filter = filter
            } catch {
                problems.append(
                    .error("--filter \(JSONValue.quoted(filter)) is not a regular expression: \(error)"))
            }
        }
        for tag in options.tags + options.skipTags where !SuiteFileReader.isTag(tag) {
            problems.append(.error("\(JSONValue.quoted(tag)) is not a tag: letters, digits, '_', '-' and '.'"))
        }
        if let text = options.shard {
            if let shard = CaseSelection.Shard(text) {
                selection.shard = shard
            } else {
                problems.append(.error("--shard expects I/N with 1 <= I <= N, got \(JSONValue.quoted(text))"))
            }
        }
        return selection
    }

    private func describe(_ selection: CaseSelection) -> String {
        var parts: [String] = []
        if let filter = selection.filter { parts.append("--filter \(JSONValue.quoted(filter))") }
        parts += selection.tags.map { "--tag \($0)" } + selection.skipTags.map { "--skip-tag \($0)" }
        return parts.joined(separator: " ")
    }

    private func planSuite(
        _ compiled: CompiledSuite, cases: [TestCase], baseURL: URL?, deviation: String?,
        overrides: [String: String], fileEnvironment: [String: String], problems: inout [RunDiagnostic]
    ) -> SuitePlan? {
        let suite = compiled.suite
        var target = baseURL
        var mock: SuitePlan.Mock?
        if target == nil && options.live {
            target = suite.baseURL
            if target == nil {
                problems.append(.error("--live needs a 'base_url' in the suite", at: .subject(suite.file)))
            }
        } else if target == nil, let name = suite.mock, let definition = MockRegistry.named(name) {
            if let deviation, !definition.allDeviations.contains(where: { $0.name == deviation }) {
                problems.append(
                    .error("the \(name) mock has no deviation '\(deviation)' (see conform mock --list-deviations)")
                )
            }
            // An invalid delay is reported above; nothing runs then.
            let milliseconds =
                ConformLimits.range(
                    options.mockDelayMilliseconds, from: 0, atMost: ConformLimits.mockDelayMilliseconds, "") == nil
                ? options.mockDelayMilliseconds : 0
            let delay = Duration.nanoseconds(Int64(milliseconds * 1_000_000))
            let configuration = MockConfiguration(deviation: deviation, delay: delay)
            mock = SuitePlan.Mock(
                definition: definition, endpoint: definition.endpoint(configuration),
                configuration: configuration)
        } else if target == nil {
            target = suite.baseURL
        }
        if target == nil && mock == nil && !offline {
            // A --base-url that did not parse is reported once, where it is checked.
            if !options.live && options.baseURL == nil {
                problems.append(
                    .error(
                        "the suite has neither a 'mock' nor a 'base_url'; pass --base-url URL",
                        at: .subject(suite.file)))
            }
            return nil
        }
        // Against the embedded mock, the mock's own credentials stand in for the environment.
        let exported = self.environment.merging(fileEnvironment) { $1 }
        let environment = mock.map { exported.merging($0.endpoint.credentials.environment) { $1 } } ?? exported
        var values = VariableResolver.resolve(suite, environment: environment, overrides: overrides)
        // Masked from the first line printed: the problems below may show a value that holds a secret.
        let secretValues: [(value: String, origin: String)] =
            suite.variables.filter(\.secret).compactMap { variable in
                values.variables[variable.name].map { ($0, "the secret variable '\(variable.name)'") }
            }
            + (mock?.endpoint.credentials.entries.filter(\.secret).map { ($0.value, "the mock's \($0.name)") } ?? [])
        for secret in secretValues { secrets.add(secret.value, origin: secret.origin) }
        // Offline (`conform lint`), a variable only needs to be declared: the secrets live in the job that runs.
        if !offline {
            problems += VariableResolver.missingRequired(suite, cases: cases, values: values).map(RunDiagnostic.init)
        }
        problems += invalidBudgets(suite, values: values)
        problems += invalidRequests(suite, cases: cases, values: values)
        problems += clientKeys(suite, cases: cases, values: &values)
        let reportPath = options.junitPath ?? "\(ConformDefaults.reportsDirectory)/\(suite.reportBaseName).xml"
        return SuitePlan(
            compiled: compiled, cases: cases, pulledIn: [:], baseURL: target, mock: mock, values: values,
            reportPath: reportPath)
    }
}
