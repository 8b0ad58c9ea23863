import ConformRegex

/// The `format` values conform checks, and what each expects.
///
/// Formats are annotations by default (JSON Schema 2020-12): a string that does not match still validates,
/// and the mismatch is reported as an annotation (a warning in conform's output). With
/// ``JSONSchema/Options/formatAssertion`` it is a failure. Only strings are checked; other values pass.
/// A format that is not listed here is refused when the schema is compiled, never ignored.
enum JSONSchemaFormat: String, Sendable, CaseIterable {
    case dateTime = "date-time"
    case date
    case time
    case duration
    case email
    case idnEmail = "idn-email"
    case hostname
    case ipv4
    case ipv6
    case uri
    case uriReference = "uri-reference"
    case iri
    case iriReference = "iri-reference"
    case uriTemplate = "uri-template"
    case uuid
    case jsonPointer = "json-pointer"
    case relativeJSONPointer = "relative-json-pointer"
    case regex

    /// What a matching string is, for messages: `expected a date-time (RFC 3339), got …`.
    var expectation: String {
        switch self {
        case .dateTime: "a date-time (RFC 3339)"
        case .date: "a date (RFC 3339 full-date)"
        case .time: "a time (RFC 3339 full-time, with an offset)"
        case .duration: "a duration (RFC 3339 appendix A)"
        case .email: "an email address (RFC 5321)"
        case .idnEmail: "an internationalized email address (RFC 6531)"
        case .hostname: "a host name (RFC 1123)"
        case .ipv4: "an IPv4 address"
        case .ipv6: "an IPv6 address"
        case .uri: "an absolute URI (RFC 3986)"
        case .uriReference: "a URI reference (RFC 3986)"
        case .iri: "an absolute IRI (RFC 3987)"
        case .iriReference: "an IRI reference (RFC 3987)"
        case .uriTemplate: "a URI template (RFC 6570)"
        case .uuid: "a UUID (RFC 9562)"
        case .jsonPointer: "a JSON pointer (RFC 6901)"
        case .relativeJSONPointer: "a relative JSON pointer"
        case .regex: "an ECMA-262 regular expression"
        }
    }

    /// Whether the string is in the format. Every check is a single pass over the string.
    func accepts(_ string: String) -> Bool {
        let scalars = Array(string.unicodeScalars)
        switch self {
        case .dateTime: return DateTimeGrammar.isDateTime(scalars)
        case .date: return DateTimeGrammar.isDate(scalars[...])
        case .time: return DateTimeGrammar.isTime(scalars[...])
        case .duration: return Self.durationPattern.wholeMatch(string)
        case .email: return EmailGrammar.isMailbox(scalars, international: false)
        case .idnEmail: return EmailGrammar.isMailbox(scalars, international: true)
        case .hostname: return HostGrammar.isHostname(scalars[...], international: false)
        case .ipv4: return HostGrammar.isIPv4(scalars[...])
        case .ipv6: return HostGrammar.isIPv6(scalars[...])
        case .uri: return URIGrammar(international: false).isURI(scalars)
        case .uriReference: return URIGrammar(international: false).isReference(scalars)
        case .iri: return URIGrammar(international: true).isURI(scalars)
        case .iriReference: return URIGrammar(international: true).isReference(scalars)
        case .uriTemplate: return URIGrammar(international: true).isTemplate(scalars)
        case .uuid: return Self.uuidPattern.wholeMatch(string)
        case .jsonPointer: return Self.isJSONPointer(scalars[...])
        case .relativeJSONPointer: return Self.isRelativeJSONPointer(scalars)
        case .regex: return LinearRegex.isValidSyntax(string)
        }
    }

    // Both patterns are constant and valid; a failure would be a defect caught by the tests.
    private static let durationPattern = try! LinearRegex(
        #"P(?:(?:\d+D|\d+M(?:\d+D)?|\d+Y(?:\d+M(?:\d+D)?)?)(?:T(?:\d+H(?:\d+M(?:\d+S)?)?|\d+M(?:\d+S)?|\d+S))?"#
            + #"|T(?:\d+H(?:\d+M(?:\d+S)?)?|\d+M(?:\d+S)?|\d+S)|\d+W)"#)
    private static let uuidPattern = try! LinearRegex(
        "[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")

    /// RFC 6901: empty, or `/`-separated tokens in which `~` is followed by `0` or `1`.
    static func isJSONPointer(_ scalars: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let first = scalars.first else { return true }
        guard first == "/" else { return false }
        var index = scalars.startIndex
        while index < scalars.endIndex {
            if scalars[index] == "~" {
                let next = scalars.index(after: index)
                guard next < scalars.endIndex, scalars[next] == "0" || scalars[next] == "1" else { return false }
            }
            index = scalars.index(after: index)
        }
        return true
    }

    /// A non-negative integer, an optional index manipulation (`+1`, `-2`), then `#` or a JSON pointer.
    static func isRelativeJSONPointer(_ scalars: [Unicode.Scalar]) -> Bool {
        var index = 0
        func integer() -> Bool {
            let start = index
            while index < scalars.count, ("0"..."9").contains(scalars[index]) { index += 1 }
            return index > start && (index - start == 1 || scalars[start] != "0")
        }
        guard integer() else { return false }
        if index < scalars.count, scalars[index] == "+" || scalars[index] == "-" {
            index += 1
            guard integer() else { return false }
        }
        if index == scalars.count - 1, scalars[index] == "#" { return true }
        return isJSONPointer(scalars[index...])
    }
}
