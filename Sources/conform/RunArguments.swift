import ArgumentParser
import ConformKit

/// The options of `run`, in titled groups (`conform run --help`).
struct RunArguments: ParsableArguments {
    @Argument(
        help: ArgumentHelp(
            "Suite files (format 1): JSON, or YAML when the name ends in .yaml or .yml.", valueName: "suite"))
    var suites: [String] = []

    @OptionGroup(title: "Target") var target: TargetOptions
    @OptionGroup(title: "Variables") var variables: VariableOptions
    @OptionGroup(title: "Selection") var selection: SelectionOptions
    @OptionGroup(title: "Reports") var reports: ReportOptions
    @OptionGroup(title: "Timing") var timing: TimingOptions
    @OptionGroup(title: "TLS & proxy") var tls: TLSProxyOptions

    var options: RunOptions {
        var options = RunOptions(suitePaths: suites)
        target.apply(to: &options)
        variables.apply(to: &options)
        selection.apply(to: &options)
        reports.apply(to: &options)
        timing.apply(to: &options)
        tls.apply(to: &options)
        return options
    }
}
