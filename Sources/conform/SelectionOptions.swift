import ArgumentParser
import ConformKit

/// Which cases run.
struct SelectionOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Run only the cases whose names match this regular expression (and what they depend on).",
            valueName: "regex"))
    var filter: String?

    @Option(
        name: .customLong("tag"), help: ArgumentHelp("Run only cases with this tag (repeatable).", valueName: "tag"))
    var tags: [String] = []

    @Option(
        name: .customLong("skip-tag"),
        help: ArgumentHelp("Leave out cases with this tag (repeatable).", valueName: "tag"))
    var skipTags: [String] = []

    @Option(help: ArgumentHelp("Run shard i of n; capture chains stay together.", valueName: "i/n"))
    var shard: String?

    func apply(to options: inout RunOptions) {
        options.filter = filter
        options.tags = tags
        options.skipTags = skipTags
        options.shard = shard
    }
}
