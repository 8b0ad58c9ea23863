import ConformJSON
import ConformSupport

/// What only a variable's value decides, checked when the run is planned: each problem is placed at the
/// variable that holds it, and nothing is sent. A value is shown as it is: the secrets in it were registered
/// when the variables were resolved, and the output boundary masks them wherever they stand.
extension RunPlanner {
    /// Values that only a variable decides, checked before anything is sent: a client authentication
    /// method, a path that starts with a variable. Each problem is placed at the variable that holds it.
    func invalidRequests(_ suite: Suite, cases: [TestCase], values: RunValues) -> [RunDiagnostic] {
        var problems: [RunDiagnostic] = []
        var reported: Set<String> = []
        func report(_ template: Template, at fallback: SourceLocation, _ message: (String) -> String) {
            guard let rendered = values.render(template), reported.insert(template.source).inserted else { return }
            var location = fallback
            if case .variable(let name)? = template.references.first, let variable = suite.variable(named: name) {
                location = variable.location
            }
            problems.append(
                RunDiagnostic(
                    Diagnostic(file: suite.file, location: location, message: message(JSONValue.quoted(rendered)))))
        }
        for testCase in cases {
            guard let request = testCase.request else { continue }
            if let auth = request.clientAuth, let method = values.render(auth.method),
                ClientAuthMethod(rawValue: method) == nil
            {
                report(auth.method, at: auth.location) {
                    "client authentication \(auth.method.source) is \($0), not one of \(ClientAuthMethod.names)"
                }
            }
            // A path the variables alone make is judged before the run; one with captures when it is sent.
            // (Its origin is judged when it is sent: the mock's base URL is not known yet.)
            if !request.path.source.hasPrefix("/"), let path = values.render(request.path),
                let problem = CaseURL.shapeProblem(path)
            {
                report(request.path, at: testCase.location) { rendered in
                    // A value with no scheme was meant as a path: say so as the path rule does.
                    CaseURL.scheme(of: path) == nil
                        ? "the path \(request.path.source) is \(rendered); a path starts with '/' (or is an http(s) URL)"
                        : "the path \(request.path.source): \(problem)"
                }
            }
        }
        return problems
    }

    /// Budgets written as `${variable}` must resolve to milliseconds above 0; each template is reported once.
    func invalidBudgets(_ suite: Suite, values: RunValues) -> [RunDiagnostic] {
        var problems: [RunDiagnostic] = []
        var reported: Set<String> = []
        for testCase in suite.cases {
            for block in [testCase.expect] + (testCase.warn.map { [$0] } ?? []) {
                guard case .template(let template)? = block.latencyBudget,
                    CasePreparer.milliseconds(.template(template), values: values) == nil,
                    let rendered = values.render(template), reported.insert(template.source).inserted
                else { continue }
                var location = testCase.location
                if case .variable(let name)? = template.references.first, let variable = suite.variable(named: name) {
                    location = variable.location
                }
                problems.append(
                    .error(
                        "latency budget \(template.source) is \(JSONValue.quoted(rendered)), not a number of milliseconds above 0",
                        at: .file(suite.file, line: location.line, column: location.column)))
            }
        }
        return problems
    }
}
