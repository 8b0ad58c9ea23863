import Foundation

/// The shape of a message, which the baselines of version 1 matched and which stands for the actual value
/// of a check that has none (a latency, a sample count) in version 2.
extension Baseline {
    /// A message with its values left out: quoted text becomes `"…"`, and figures that change from run to
    /// run become `N`: numbers with a fraction, durations and sample counts (`12 ms`, `2 s`, `over 20 samples`,
    /// `3 of 20 samples`, the tally in `samples failed (body 3, latency 2)`). Other integers are the suite's
    /// words and stay (`expected 200, got 500`), as does a section number (`§5.2`, `§4.14.2`), which names the
    /// rule rather than a value.
    static func shape(_ message: String) -> String {
        var output = ""
        var characters = Array(message)[...]
        // Within the tally of kinds that follows a sample count: "samples failed (body 3, latency 2)".
        var inTally = false
        while let character = characters.first {
            if character == "\"" {
                characters = characters.dropFirst()
                while let next = characters.first, next != "\"" {
                    characters = characters.dropFirst(next == "\\" ? 2 : 1)
                }
                characters = characters.dropFirst()
                output += "\"…\""
                continue
            }
            if character == "(" {
                inTally = output.hasSuffix("samples failed ") || output.hasSuffix("samples had transport errors ")
            } else if character == ")" {
                inTally = false
            }
            if character.isASCII, character.isNumber {
                let digits = characters.prefix { ($0.isASCII && $0.isNumber) || $0 == "." }
                let rest = characters.dropFirst(digits.count)
                // A section number is the suite's words, not a measured value: "§5.2" stays.
                let fraction = digits.contains(".") && digits.last != "." && output.last != "§"
                let figure =
                    fraction || isCounted(rest) || (inTally && output.last == " ")
                    || ["ms", "s", "sample", "samples"].contains { isFollowed(by: $0, rest) }
                output += figure ? "N" : String(digits)
                characters = rest
                continue
            }
            output.append(character)
            characters = characters.dropFirst()
        }
        return output
    }

    /// The text goes on with a space and this word: "ms" in " ms, measured", not in " msg".
    private static func isFollowed(by word: String, _ text: ArraySlice<Character>) -> Bool {
        let spaced = Array(" " + word)
        guard text.starts(with: spaced) else { return false }
        return !(text.dropFirst(spaced.count).first?.isLetter ?? false)
    }

    /// The number before the text is the count in "3 of 20 samples".
    private static func isCounted(_ text: ArraySlice<Character>) -> Bool {
        guard text.starts(with: Array(" of ")) else { return false }
        let rest = text.dropFirst(4)
        let total = rest.prefix { $0.isASCII && $0.isNumber }
        return !total.isEmpty && ["sample", "samples"].contains { isFollowed(by: $0, rest.dropFirst(total.count)) }
    }
}
