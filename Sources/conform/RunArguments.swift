import ArgumentParser
import ConformKit

/// The options of `run`, in titled groups (`conform run --help`).
struct RunArguments: ParsableArguments {
    @Argument(help: RunArguments.suitesHelp) var suites: [String] = []

    @OptionGroup(title: "Target") var target: TargetOptions
    @OptionGroup(title: "Variables") var variables: VariableOptions
    @OptionGroup(title: "Selection") var selection: SelectionOptions
    @OptionGroup(title: "Reports") var reports: ReportOptions
    @OptionGroup(title: "Timing") var timing: TimingOptions
    @OptionGroup(title: "TLS & proxy") var tls: TLSProxyOptions

    var options: RunOptions {
        Self.options(suites, target, variables, selection, reports, timing, tls)
    }

    static let suitesHelp = ArgumentHelp(
        "Suite files (format 1): JSON, or YAML when the name ends in .yaml or .yml.", valueName: "suite")

    /// The options of a run from its groups; `lint` shows fewer of them but reads them all the same way.
    static func options(
        _ suites: [String], _ target: TargetOptions, _ variables: VariableOptions, _ selection: SelectionOptions,
        _ reports: ReportOptions, _ timing: TimingOptions, _ tls: TLSProxyOptions
    ) -> RunOptions {
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
