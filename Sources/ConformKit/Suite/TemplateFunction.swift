import ConformSupport
import Foundation

/// A value made anew each time a request is rendered, written as a call inside `${…}`:
///
/// | written                 | value                                                  |
/// |-------------------------|--------------------------------------------------------|
/// | `${uuid()}`             | a random UUID, lower case: `0b5e…-…`                   |
/// | `${now_epoch()}`        | the current time in whole seconds since 1970: `1796620800` |
/// | `${now_rfc3339()}`      | the current time, RFC 3339 in UTC: `2026-12-07T05:50:00Z` |
/// | `${random_hex(N)}`      | N random bytes (1 to 256) as lower-case hex: 2N characters |
/// | `${random_base64url(N)}`| N random bytes (1 to 256) as base64url without padding |
///
/// Every sample of a repeated case renders its request again, so each gets new values.
enum TemplateFunction: Sendable, Hashable, CustomStringConvertible {
    case uuid
    case nowEpoch
    case nowRFC3339
    case randomHex(bytes: Int)
    case randomBase64URL(bytes: Int)

    static let maximumRandomBytes = 256
    /// The functions as they are written, for messages.
    static let signatures = ["uuid()", "now_epoch()", "now_rfc3339()", "random_hex(N)", "random_base64url(N)"]
    private static let names = signatures.map { String($0.prefix { $0 != "(" }) }

    var description: String {
        switch self {
        case .uuid: "uuid()"
        case .nowEpoch: "now_epoch()"
        case .nowRFC3339: "now_rfc3339()"
        case .randomHex(let bytes): "random_hex(\(bytes))"
        case .randomBase64URL(let bytes): "random_base64url(\(bytes))"
        }
    }

    /// The function a reference calls; `nil` when the reference is not a call (no `(`).
    static func parse(_ reference: String) throws(Template.ParseError) -> TemplateFunction? {
        guard let open = reference.firstIndex(of: "(") else { return nil }
        let name = String(reference[..<open])
        guard reference.hasSuffix(")"), reference.index(after: open) <= reference.index(before: reference.endIndex)
        else { throw .badFunctionCall(reference) }
        let argument = reference[reference.index(after: open)..<reference.index(before: reference.endIndex)]
            .trimmingCharacters(in: .whitespaces)
        guard names.contains(name) else { throw .unknownFunction(name) }
        switch name {
        case "random_hex", "random_base64url":
            guard let bytes = Int(argument), (1...maximumRandomBytes).contains(bytes) else {
                throw .badFunctionArgument(
                    "'\(name)(N)' takes a number of bytes from 1 to \(maximumRandomBytes), got '\(argument)'")
            }
            return name == "random_hex" ? .randomHex(bytes: bytes) : .randomBase64URL(bytes: bytes)
        default:
            guard argument.isEmpty else {
                throw .badFunctionArgument("'\(name)()' takes no argument, got '\(argument)'")
            }
            return switch name {
            case "uuid": .uuid
            case "now_epoch": .nowEpoch
            default: .nowRFC3339
            }
        }
    }

    /// A new value; `now` is the clock (tests fix it).
    func evaluate(now: Date = Date()) -> String {
        switch self {
        case .uuid: return UUID().uuidString.lowercased()
        case .nowEpoch: return String(Int(now.timeIntervalSince1970.rounded(.down)))
        case .nowRFC3339: return now.formatted(.iso8601)
        case .randomHex(let count):
            return Self.randomBytes(count).map { String(format: "%02x", $0) }.joined()
        case .randomBase64URL(let count):
            return Data(Self.randomBytes(count)).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
    }

    private static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// "did you mean 'uuid()'?" for a misspelt function.
    static func hint(for name: String) -> String {
        Suggestion.closest(to: name, in: names).map { "; did you mean '\(signatures[names.firstIndex(of: $0) ?? 0])'?" }
            ?? ""
    }
}
