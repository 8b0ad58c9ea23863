import Foundation

/// What a check says about a response, as data: which check (``CheckID``), where (``FindingLocation``),
/// what was expected and what was seen, the suite's reason, and the sentence the console shows.
///
/// Nothing is masked here: every output goes through ``OutputBoundary``, which masks what it renders, the
/// values of `expected` and `actual` included.
struct Finding: Sendable, Equatable, CustomStringConvertible {
    enum Severity: String, Sendable, Equatable {
        /// The case fails.
        case failure
        /// Reported in the case output and the report; the case still passes.
        case warning
        /// Information, such as whether a token was rotated.
        case note
        /// A failure the baseline knows (`--baseline`): shown, not failing the case.
        case knownDeviation = "known deviation"
    }

    var severity: Severity
    /// The check that spoke.
    var check: CheckID
    /// The sentence: what was checked, expected and seen, and where (`expires_in: expected …, got …`).
    var message: String
    /// Where in the response: a field, a header, an XML line and element, or nowhere in particular.
    var location: FindingLocation
    /// What the suite expected, in its words (`"Bearer"`, `200 or 201`), when the check compares a value.
    var expected: String?
    /// What the response showed (`string "3600"`, `500`), when the check compares a value. Figures measured
    /// afresh on every run (latencies) are not an actual value: they stay in the message.
    var actual: String?
    /// The suite's reason for the block (`"reason"`), when it gave one.
    var rule: String?
    /// The RFC section the reason names (`RFC 6749 §5.2`), when it names one.
    var rfc: String?

    init(
        _ severity: Severity, check: CheckID, _ message: String, location: FindingLocation = .none,
        expected: String? = nil, actual: String? = nil
    ) {
        self.severity = severity
        self.check = check
        self.message = message
        self.location = location
        self.expected = expected
        self.actual = actual
    }

    static func failure(
        _ check: CheckID, _ message: String, location: FindingLocation = .none, expected: String? = nil,
        actual: String? = nil
    ) -> Finding {
        Finding(.failure, check: check, message, location: location, expected: expected, actual: actual)
    }
    static func warning(
        _ check: CheckID, _ message: String, location: FindingLocation = .none, expected: String? = nil,
        actual: String? = nil
    ) -> Finding {
        Finding(.warning, check: check, message, location: location, expected: expected, actual: actual)
    }
    static func note(_ check: CheckID, _ message: String, location: FindingLocation = .none) -> Finding {
        Finding(.note, check: check, message, location: location)
    }

    /// The console's line: `failure [field]: expires_in: expected a JSON number, got string "3600"`.
    var description: String { "\(severity.rawValue) [\(check.label)]: \(message)" }

    /// The finding with the suite's reason: appended to the sentence as before, and kept as data.
    func explained(by reason: String?) -> Finding {
        guard let reason else { return self }
        var explained = self
        explained.message = "\(message) (\(reason))"
        explained.rule = reason
        explained.rfc = Self.section(in: reason)
        return explained
    }

    /// The sentence without the suite's reason: what a baseline may compare when there is no actual value.
    var bareMessage: String {
        guard let rule, message.hasSuffix(" (\(rule))") else { return message }
        return String(message.dropLast(rule.count + 3))
    }

    /// `RFC 6749 §5.2` in `missing grant_type (RFC 6749 §5.2)`: the first "RFC" and digits, with the
    /// section that follows when there is one. Linear in the reason.
    static func section(in reason: String) -> String? {
        let characters = Array(reason)
        var index = 0
        while index + 4 < characters.count {
            defer { index += 1 }
            guard characters[index] == "R", characters[index + 1] == "F", characters[index + 2] == "C",
                characters[index + 3] == " ", characters[index + 4].isASCII, characters[index + 4].isNumber
            else { continue }
            var end = index + 4
            while end < characters.count, characters[end].isASCII, characters[end].isNumber { end += 1 }
            var text = String(characters[index..<end])
            if end + 1 < characters.count, characters[end] == " ", characters[end + 1] == "§" {
                var sectionEnd = end + 2
                while sectionEnd < characters.count,
                    (characters[sectionEnd].isASCII && characters[sectionEnd].isNumber)
                        || (characters[sectionEnd] == "." && sectionEnd + 1 < characters.count
                            && characters[sectionEnd + 1].isASCII && characters[sectionEnd + 1].isNumber)
                {
                    sectionEnd += 1
                }
                if sectionEnd > end + 2 { text = String(characters[index..<sectionEnd]) }
            }
            return text
        }
        return nil
    }
}

/// Where in the response a finding is.
enum FindingLocation: Sendable, Equatable {
    /// The response as a whole (status, latency) or nothing in it.
    case none
    /// A field by its path as the suite writes it (`expires_in`, `items[0].id`, an XML path).
    case field(String)
    /// An XML document's line and element.
    case xml(line: Int, element: String)
    /// A header by its name as the suite writes it.
    case header(String)

    /// `field`, `xml`, `header`, or nil for none: the kind in `--format json`.
    var kind: String? {
        switch self {
        case .none: nil
        case .field: "field"
        case .xml: "xml"
        case .header: "header"
        }
    }

    /// `expires_in`, `12 <token>`, `Cache-Control`, or "": the location as text, for keys and JSON.
    var text: String {
        switch self {
        case .none: ""
        case .field(let path): path
        case .xml(let line, let element): "\(line) <\(element)>"
        case .header(let name): name
        }
    }
}
