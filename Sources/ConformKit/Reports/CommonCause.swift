import Foundation

/// Several cases of a suite that failed for one reason, said once at the top of the suite's part of the
/// HTML report, so that a reader does not open eight cases to learn that the endpoint was down:
/// "8 of 10 cases failed for one cause: connection refused by 127.0.0.1:9".
///
/// The reasons looked for: every case errored the same way (the same kind of transport error, the same
/// message shape), every response was an HTML page, or every case failed the same check with the same
/// message shape (values in quotes and fractions left out, ``Baseline/shape(_:)``). A reason is reported
/// when at least two cases share it and they are more than half of the cases sent.
struct CommonCause: Sendable, Equatable {
    /// The cases that failed or errored for this reason.
    var count: Int
    /// The cases of the suite.
    var total: Int
    /// "connection refused by 127.0.0.1:9", "every response was an HTML page (text/html)", "status: …".
    var cause: String

    var description: String { "\(count) of \(total) cases failed for one cause: \(cause)" }

    static func find(in result: SuiteResult) -> CommonCause? {
        let problems = result.cases.filter { $0.outcome == .failed || $0.outcome == .errored }
        let sent = result.cases.filter { $0.outcome != .skipped }.count
        // Groups in the order they are preferred when as large: errors, HTML pages, failures.
        var groups: [(key: String, cause: String, count: Int)] = []
        func count(_ key: String, _ cause: @autoclosure () -> String) {
            if let index = groups.firstIndex(where: { $0.key == key }) {
                groups[index].count += 1
            } else {
                groups.append((key, cause(), 1))
            }
        }
        for testCase in problems {
            if testCase.outcome == .errored, let failure = testCase.transportFailure {
                count("error \(failure.kind) \(Baseline.shape(failure.description))", failure.description)
            }
        }
        for testCase in problems {
            if let type = testCase.contentType, isHTML(type) {
                count("html", "every response was an HTML page (\(BodyExcerpt.line(type, limit: 60)))")
            }
        }
        for testCase in problems where testCase.outcome == .failed {
            guard let first = testCase.failures.first(where: { $0.check != .samples }) else { continue }
            count(
                "failure \(first.check.label) \(Baseline.shape(first.message))",
                "\(first.check.label): \(first.message)")
        }
        guard let largest = groups.map(\.count).max(), largest >= 2, largest * 2 > sent,
            let chosen = groups.first(where: { $0.count == largest })
        else { return nil }
        return CommonCause(count: chosen.count, total: result.cases.count, cause: chosen.cause)
    }

    /// `text/html` or `application/xhtml+xml`, parameters aside.
    static func isHTML(_ contentType: String) -> Bool {
        let media = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return media == "text/html" || media == "application/xhtml+xml"
    }
}
