import ArgumentParser
import ConformKit

/// Values of suite variables given on the command line.
struct VariableOptions: ParsableArguments {
    @Option(name: .customLong("var"), help: ArgumentHelp("Set a suite variable (repeatable).", valueName: "name=value"))
    var variables: [String] = []

    @Option(
        name: .customLong("var-file"),
        help: ArgumentHelp(
            "Set variables from a dotenv file: suite variable names or the environment names they read "
                + "(repeatable; --var wins, then later files).",
            valueName: "path"))
    var variableFiles: [String] = []

    func apply(to options: inout RunOptions) {
        options.variables = variables
        options.variableFiles = variableFiles
    }
}
