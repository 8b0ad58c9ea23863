import ArgumentParser
import ConformKit

/// The options of `lint`: those that change what lint checks are shown (target, variables, selection).
/// Every other option of `run` is accepted too, hidden, and checked as `run` checks it, so that one argument
/// list serves both commands in CI.
struct LintArguments: ParsableArguments {
    @Argument(help: RunArguments.suitesHelp) var suites: [String] = []

    @OptionGroup(title: "Target") var target: TargetOptions
    @OptionGroup(title: "Variables") var variables: VariableOptions
    @OptionGroup(title: "Selection") var selection: SelectionOptions
    @OptionGroup(visibility: .hidden) var reports: ReportOptions
    @OptionGroup(visibility: .hidden) var timing: TimingOptions
    @OptionGroup(visibility: .hidden) var tls: TLSProxyOptions

    var options: RunOptions {
        RunArguments.options(suites, target, variables, selection, reports, timing, tls)
    }
}
