/// The values given for suite variables on the command line: `--var NAME=VALUE` over `--var-file PATH`
/// (a later file over an earlier one); both over the environment and the suite's defaults.
extension RunPlanner {
    struct Overrides {
        /// Variable name → value.
        var values: [String: String] = [:]
        /// Names given by `--var`, in command-line order.
        var fromCommandLine: [String] = []
        /// Names given by files, with their place: `vars.env:3`.
        var fromFiles: [(name: String, place: String)] = []
        /// A file could not be read or parsed: the variables are not known, and are not resolved (an
        /// "is not set" for a value on a broken line would mislead).
        var incomplete = false
    }

    /// Reads `--var` and every `--var-file`; problems go to `problems` as printed lines.
    func overrides(_ problems: inout [String]) -> Overrides {
        var overrides = Overrides()
        for path in options.variableFiles {
            switch VariableFile.read(path) {
            case .success(let file):
                for entry in file.entries {
                    overrides.values[entry.name] = entry.value
                    overrides.fromFiles.append((entry.name, "\(path):\(entry.line)"))
                }
            case .failure(let error):
                problems += error.lines
                overrides.incomplete = true
            }
        }
        for entry in options.variables {
            guard let equals = entry.firstIndex(of: "=") else {
                // Quoted only when it is a bare name: anything else may be a value typed with the wrong
                // separator (`refresh_token:…`), and a value may be a secret.
                problems.append(
                    Template.isName(entry)
                        ? "conform: error: --var \(entry) has no value: expected NAME=VALUE (NAME= for an empty value)"
                        : "conform: error: --var expects NAME=VALUE, got \(entry.count) characters without '=' (not shown: they may hold a secret)"
                )
                continue
            }
            let name = String(entry[..<equals])
            guard Template.isName(name) else {
                problems.append(
                    "conform: error: --var \(JSONValue.quoted(name, limit: 40)): a variable name is letters, digits and '_'"
                )
                continue
            }
            overrides.values[name] = String(entry[entry.index(after: equals)...])
            overrides.fromCommandLine.append(name)
        }
        return overrides
    }

    /// A name no suite defines is an error, wherever it was given.
    static func unknownNames(_ overrides: Overrides, defined: Set<String>) -> [String] {
        let hint = { (name: String) in Suggestion.hint(for: name, in: Array(defined)) }
        let commandLine = Set(overrides.fromCommandLine).sorted().filter { !defined.contains($0) }.map {
            "conform: error: --var \($0): no suite defines a variable '\($0)'\(hint($0))"
        }
        let files = overrides.fromFiles.filter { !defined.contains($0.name) }.map {
            "\($0.place): error: no suite defines a variable '\($0.name)'\(hint($0.name))"
        }
        return commandLine + files
    }
}
