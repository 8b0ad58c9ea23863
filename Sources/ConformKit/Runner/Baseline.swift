import ConformSupport
import Foundation

/// Known deviations, the SwiftLint way: `--write-baseline PATH` records today's failures and errors, and
/// `--baseline PATH` reports those as known deviations (shown in every output, never failing the run),
/// fails on anything new, and says when a known deviation no longer happens.
///
/// An entry is a suite, a case, a check and the shape of the message: quoted values become `"…"`, and
/// numbers with a fraction, durations and sample counts `N` (a section number after `§` and a status code
/// stay), so that a token, a time, a number of samples or an echoed value neither breaks the match nor
/// reaches the file (which is written through the output boundary like every report).
///
/// ```json
/// {"format": "conform-baseline", "version": 1, "deviations": [
///   {"suite": "oauth2", "case": "missing grant_type is refused", "check": "field",
///    "message": "error: expected \"…\", got string \"…\" (RFC 6749 §5.2)"}]}
/// ```
package struct Baseline: Sendable, Codable, Equatable {
    package struct Entry: Sendable, Codable, Hashable {
        package var suite: String
        package var `case`: String
        var check: String
        var message: String
    }

    package var format = "conform-baseline"
    package var version = 1
    package var deviations: [Entry]

    package init(deviations: [Entry]) {
        self.deviations = deviations
    }

    /// Reads a baseline file; a file that is not one is refused with the reason.
    package static func load(_ path: String) throws(BaselineError) -> Baseline {
        let data: Data
        do {
            data = try InputFile.read(path)
        } catch {
            throw BaselineError(path: path, reason: error.description)
        }
        guard let baseline = try? JSONDecoder().decode(Baseline.self, from: data),
            baseline.format == "conform-baseline"
        else {
            throw BaselineError(path: path, reason: "not a conform baseline (written by --write-baseline)")
        }
        guard baseline.version == 1 else {
            throw BaselineError(path: path, reason: "baseline version \(baseline.version); this conform reads version 1")
        }
        return baseline
    }

    /// Today's failures and errors, one entry each, in report order.
    static func recording(_ results: [SuiteResult]) -> Baseline {
        var entries: [Entry] = []
        for suite in results {
            for testCase in suite.cases {
                for (check, message) in deviations(of: testCase) {
                    let entry = Entry(suite: suite.suiteName, case: testCase.name, check: check, message: shape(message))
                    if !entries.contains(entry) { entries.append(entry) }
                }
            }
        }
        return Baseline(deviations: entries)
    }

    /// Pretty-printed, keys sorted: a file meant for review in version control.
    package func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }

    /// Turns the failures and the error of a case that the baseline knows into known deviations; the case
    /// passes when nothing else failed. Known deviations of the case that did not happen are noted as fixed.
    /// The diagnostic says the same: the lines of known failures are shown as known deviations, and a case
    /// that now passes has none.
    func apply(to result: inout CaseResult, suite: String) {
        let known = deviations.filter { $0.suite == suite && $0.case == result.name }
        guard !known.isEmpty, result.outcome != .skipped else { return }
        var matched: Set<Entry> = []
        var findings: [Finding] = []
        // A diagnostic line of a failure or error now known → the same line as a known deviation.
        var relabelled: [String: String] = [:]
        for finding in result.findings {
            let entry = Entry(suite: suite, case: result.name, check: finding.check, message: Self.shape(finding.message))
            if finding.severity == .failure, known.contains(entry) {
                matched.insert(entry)
                let deviation = Finding(.knownDeviation, check: finding.check, finding.message)
                relabelled[finding.description] = deviation.description
                findings.append(deviation)
            } else {
                findings.append(finding)
            }
        }
        if let failure = result.transportFailure, result.outcome == .errored {
            let entry = Entry(suite: suite, case: result.name, check: "error:\(failure.kind)", message: Self.shape(failure.description))
            if known.contains(entry) {
                matched.insert(entry)
                let deviation = Finding(.knownDeviation, check: entry.check, failure.description)
                relabelled["error [\(failure.kind)]: \(failure)"] = deviation.description
                findings.insert(deviation, at: 0)
                result.transportFailure = nil
                result.outcome = findings.contains { $0.severity == .failure } ? .failed : .passed
            }
        }
        for entry in known where !matched.contains(entry) {
            findings.append(.note("baseline", "no longer deviates: \(entry.check): \(entry.message)"))
        }
        result.findings = findings
        if result.outcome == .failed, !findings.contains(where: { $0.severity == .failure }) {
            result.outcome = .passed
        }
        if result.outcome == .passed {
            result.diagnostic = ""
        } else if !relabelled.isEmpty {
            result.diagnostic = result.diagnostic.split(separator: "\n", omittingEmptySubsequences: false)
                .map { line in relabelled[String(line)] ?? String(line) }.joined(separator: "\n")
        }
    }

    /// The failures and the error of a case, as (check, message).
    private static func deviations(of testCase: CaseResult) -> [(String, String)] {
        var found = testCase.failures.map { ($0.check, $0.message) }
        if testCase.outcome == .errored, let failure = testCase.transportFailure {
            found.insert(("error:\(failure.kind)", failure.description), at: 0)
        }
        return found
    }

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

/// A baseline that cannot be read: exit status 2.
package struct BaselineError: Error, Sendable, CustomStringConvertible {
    package var path: String
    var reason: String

    package var description: String { "--baseline \(path): \(reason)" }
}
