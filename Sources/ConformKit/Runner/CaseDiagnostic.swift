import Foundation

/// What is shown for a failed or errored case, as data: the error, the failures, the request, the response
/// (status, type, size, latency, `Location`, body excerpt), and the headings of a repeated case's samples.
/// Each output renders it (``text`` is the console's and the JUnit `<failure>` text), and a baseline turns a
/// known failure's line into a known deviation by the finding, not by its words.
struct CaseDiagnostic: Sendable, Equatable, ExpressibleByStringLiteral {
    enum Line: Sendable, Equatable {
        /// `error [timeout]: no complete response within the 5 s timeout`.
        case error(kind: String, message: String)
        /// A failure or a known deviation: `failure [status]: expected 200, got 500 (a server error)`.
        case finding(Finding)
        /// `request: POST http://…/token`, as sent (masked by the outputs).
        case request(String)
        /// `response: 500 Internal Server Error, text/html, 126 bytes, 1.1 ms`.
        case response(Response)
        /// `location: https://…`: the response's `Location`, cut to one line.
        case location(String)
        /// `body: {"error": …`: the body's excerpt.
        case body(String)
        /// Any other line: a repeated case's summary and sample headings, or text written as such.
        case text(String)
    }

    /// The response as the diagnostic states it.
    struct Response: Sendable, Equatable {
        var status: Int
        var reason: String
        var contentType: String?
        var bytes: Int
        var milliseconds: Double
    }

    var lines: [Line]

    init(_ lines: [Line] = []) {
        self.lines = lines
    }

    /// Text taken as it is, one `text` line per line ("" is no line).
    init(stringLiteral text: String) {
        self.init(text: text)
    }

    init(text: String) {
        lines =
            text.isEmpty ? [] : text.split(separator: "\n", omittingEmptySubsequences: false).map { .text(String($0)) }
    }

    var isEmpty: Bool { lines.isEmpty }

    /// The lines as the console and the JUnit report show them.
    var text: String { lines.map(Self.render).joined(separator: "\n") }

    static func render(_ line: Line) -> String {
        switch line {
        case .error(let kind, let message): "error [\(kind)]: \(message)"
        case .finding(let finding): finding.description
        case .request(let request): "request: \(request)"
        case .response(let response):
            "response: \(response.status) \(BodyExcerpt.line(response.reason, limit: 200))"
                + (response.contentType.map { ", \(BodyExcerpt.line($0, limit: 200))" } ?? "")
                + ", \(response.bytes) bytes, \(Milliseconds.text(response.milliseconds)) ms"
        case .location(let location): "location: \(BodyExcerpt.line(location, limit: 400))"
        case .body(let excerpt): "body: \(excerpt)"
        case .text(let text): text
        }
    }

    /// The same diagnostic with each line of these failures shown as a known deviation, and the line of
    /// this error (when given) as the deviation that stands for it.
    func relabelled(_ known: [Finding], error: (kind: String, deviation: Finding)?) -> CaseDiagnostic {
        CaseDiagnostic(
            lines.map { line in
                switch line {
                case .finding(let finding) where finding.severity == .failure && known.contains(finding):
                    var deviation = finding
                    deviation.severity = .knownDeviation
                    return .finding(deviation)
                case .error(let kind, _) where kind == error?.kind:
                    return .finding(error?.deviation ?? Finding(.knownDeviation, check: .error, ""))
                default:
                    return line
                }
            })
    }
}
