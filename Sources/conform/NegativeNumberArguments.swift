/// swift-argument-parser reads `-1` after an option as another option, so `conform run --repeat -1` said
/// "Missing value for '--repeat <repeat>'" while `--repeat=-1` reached conform's own check. A negative
/// number after one of conform's numeric options is joined to it (`--repeat=-1`) before parsing, so that
/// both spellings get the same message: "--repeat must be from 1 to 1000000, got -1".
enum NegativeNumberArguments {
    /// The options of `run`, `lint` and `mock` that take a number.
    static let numericOptions: Set<String> = [
        "--timeout", "--max-time", "--max-case-time", "--repeat", "--concurrency", "--rate", "--mock-delay-ms",
        "--max-body", "--port", "--delay-ms",
    ]

    static func joined(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            // After `--` everything is a suite path.
            if argument == "--" {
                result += arguments[index...]
                break
            }
            let next = index + 1
            if numericOptions.contains(argument), next < arguments.endIndex, isNegativeNumber(arguments[next]) {
                result.append("\(argument)=\(arguments[next])")
                index += 2
            } else {
                result.append(argument)
                index += 1
            }
        }
        return result
    }

    /// `-1`, `-0.5`, `-1e3`, `-inf`: what would be a number, not an option.
    static func isNegativeNumber(_ text: String) -> Bool {
        text.hasPrefix("-") && Double(text) != nil
    }
}
