import ConformJSON
import ConformSupport

/// The values given for suite variables on the command line: `--var NAME=VALUE` over `--var-file PATH`
/// (a later file over an earlier one); both over the environment and the suite's defaults.
///
/// A `--var-file` line may name the suite variable (`client_id=…`) or the environment variable the suite
/// reads it from (`OAUTH2_CLIENT_ID=…`, as in the shipped suites' variable tables), so that one dotenv file
/// serves `set -a; . ./vars.env` and `--var-file vars.env` alike. An environment name in a file counts as
/// exported for this run: over the real environment, under the suite variable's own name (and against an
/// embedded mock, under the mock's credentials, as an exported one would be).
extension RunPlanner {
    struct Overrides {
        /// Variable name → value.
        var values: [String: String] = [:]
        /// Names given by `--var`, in command-line order.
        var fromCommandLine: [String] = []
        /// Names given by files, with their place: `vars.env`, line 3.
        var fromFiles: [(name: String, path: String, line: Int)] = []
        /// Every name given by a file with its value (a later file over an earlier one): those that a suite
        /// reads as `${env:NAME}` stand in for the environment.
        var fileEnvironment: [String: String] = [:]
        /// A file could not be read or parsed: the variables are not known, and are not resolved (an
        /// "is not set" for a value on a broken line would mislead).
        var incomplete = false
    }

    /// Reads `--var` and every `--var-file`; problems go to `problems`.
    func overrides(_ problems: inout [RunDiagnostic]) -> Overrides {
        var overrides = Overrides()
        for path in options.variableFiles {
            switch VariableFile.read(path) {
            case .success(let file):
                for entry in file.entries {
                    overrides.values[entry.name] = entry.value
                    overrides.fileEnvironment[entry.name] = entry.value
                    overrides.fromFiles.append((entry.name, path, entry.line))
                }
            case .failure(let error):
                problems += error.diagnostics
                overrides.incomplete = true
            }
        }
        for entry in options.variables {
            guard let equals = entry.firstIndex(of: "=") else {
                // Quoted only when it is a bare name: anything else may be a value typed with the wrong
                // separator (`refresh_token:…`), and a value may be a secret.
                problems.append(
                    .error(
                        Template.isName(entry)
                            ? "--var \(entry) has no value: expected NAME=VALUE (NAME= for an empty value)"
                            : "--var expects NAME=VALUE, got \(entry.count) characters without '=' (not shown: they may hold a secret)"
                    ))
                continue
            }
            let name = String(entry[..<equals])
            guard Template.isName(name) else {
                problems.append(
                    .error("--var \(JSONValue.quoted(name, limit: 40)): a variable name is letters, digits and '_'"))
                continue
            }
            overrides.values[name] = String(entry[entry.index(after: equals)...])
            overrides.fromCommandLine.append(name)
        }
        return overrides
    }

    /// A name no suite defines is an error, wherever it was given; a file may also give an environment name
    /// that a suite variable reads (`environment`).
    static func unknownNames(
        _ overrides: Overrides, defined: Set<String>, environment: Set<String> = []
    ) -> [RunDiagnostic] {
        let hint = { (name: String) in Suggestion.hint(for: name, in: Array(defined)) }
        let commandLine = Set(overrides.fromCommandLine).sorted().filter { !defined.contains($0) }.map {
            RunDiagnostic.error("--var \($0): no suite defines a variable '\($0)'\(hint($0))")
        }
        let files = overrides.fromFiles.filter { !defined.contains($0.name) && !environment.contains($0.name) }.map {
            RunDiagnostic.error(
                "no suite defines a variable '\($0.name)'\(fileHint($0.name, defined, environment))",
                at: .file($0.path, line: $0.line))
        }
        return commandLine + files
    }

    /// "; did you mean 'client_id'?", or for a misspelt environment name "; did you mean 'OAUTH2_CLIENT_ID'
    /// (read by the variable 'client_id')?".
    private static func fileHint(_ name: String, _ defined: Set<String>, _ environment: Set<String>) -> String {
        let variable = Suggestion.closest(to: name, in: Array(defined))
        if name.contains(where: \.isUppercase), let read = Suggestion.closest(to: name, in: Array(environment)) {
            return "; did you mean '\(read)'?"
        }
        return variable.map { "; did you mean '\($0)'?" } ?? ""
    }

    /// The environment names the suites' variables read, each with the variables that read it.
    static func environmentNames(_ suites: [Suite]) -> Set<String> {
        Set(suites.flatMap { $0.variables.flatMap(\.environmentNames) })
    }
}
