import ConformSupport

/// What the references of one suite resolve to during a run: variables, then captures as cases finish.
struct RunValues: Sendable {
    var variables: [String: String]
    /// Variables with no value; cases that use an optional one are skipped.
    var unset: [String: VariableDefinition]
    var captures: [String: String] = [:]
    /// How the cases run so far ended, by name: a skip reason says whether an earlier case got a response.
    var outcomes: [String: CaseResult.Outcome] = [:]
    /// Key sets fetched for `jwks_url`, by the URL as the suite renders it: once per run.
    var keySets: [String: KeySetFetch] = [:]
    /// `private_key_jwt` keys, by the path as the suite renders it: read once, when the run is planned.
    var clientKeys: [String: ClientSigningKey] = [:]

    func value(of segment: Template.Segment) -> String? {
        switch segment {
        case .literal(let text): text
        case .variable(let name): variables[name]
        case .capture(let name): captures[name]
        case .environment: nil
        case .function(let function): Optional(function.evaluate())
        }
    }

    func render(_ template: Template) -> String? {
        template.render(value(of:))
    }
}

/// Resolves a suite's variables: `--var` first, then the value (from the environment), then the default.
enum VariableResolver {
    static func resolve(_ suite: Suite, environment: [String: String], overrides: [String: String]) -> RunValues {
        var values: [String: String] = [:]
        var unset: [String: VariableDefinition] = [:]
        for variable in suite.variables {
            if let override = overrides[variable.name] {
                values[variable.name] = override
                continue
            }
            let fromEnvironment = variable.value?.render { segment in
                switch segment {
                case .environment(let name): environment[name].flatMap { $0.isEmpty ? nil : $0 }
                case .literal(let text): text
                default: nil
                }
            }
            let fallback = variable.defaultReference.map { values[$0] } ?? variable.defaultValue
            if let value = fromEnvironment ?? fallback {
                values[variable.name] = value
            } else {
                unset[variable.name] = variable
            }
        }
        return RunValues(variables: values, unset: unset)
    }

    /// Required variables that the cases use and that have no value: the run stops before sending.
    static func missingRequired(_ suite: Suite, cases: [TestCase], values: RunValues) -> [Diagnostic] {
        var reported: Set<String> = []
        var diagnostics: [Diagnostic] = []
        for testCase in cases {
            for case .variable(let name) in testCase.sendingReferences {
                guard let variable = values.unset[name], variable.required, reported.insert(name).inserted else {
                    continue
                }
                diagnostics.append(
                    Diagnostic(
                        file: suite.file, location: variable.location,
                        message: "required variable '\(name)' is not set: \(howToSet(variable))"))
            }
        }
        return diagnostics.sorted { ($0.location?.line ?? 0) < ($1.location?.line ?? 0) }
    }

    /// "set PITCHPOINT_REFRESH_TOKEN or pass --var refresh_token=VALUE".
    static func howToSet(_ variable: VariableDefinition) -> String {
        let names = variable.environmentNames
        let environment = names.isEmpty ? "" : "set \(names.joined(separator: " and ")) or "
        return "\(environment)pass --var \(variable.name)=VALUE"
    }
}
