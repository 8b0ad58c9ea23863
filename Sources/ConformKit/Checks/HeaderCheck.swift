import ConformJSON
import ConformSupport

/// A header meets its rule: it holds a token in its comma-separated list (`Cache-Control: no-store`), it is
/// absent, or it is a challenge with an authentication scheme (`WWW-Authenticate: Basic realm="…"`).
/// Header names, tokens and schemes compare case-insensitively (RFC 9110).
struct HeaderCheck: Check {
    var name: String
    var rule: HeaderRule

    init(name: String, rule: HeaderRule) {
        self.name = name
        self.rule = rule
    }

    init(name: String, token: String) {
        self.init(name: name, rule: .containsToken(token))
    }

    func evaluate(_ response: ResponseUnderTest) -> [Finding] {
        let value = response.response.headerList(name)
        switch rule {
        case .absent:
            guard let value else { return [] }
            return [
                failure(
                    .headerAbsent, "\(name): expected no \(name) header, got \(JSONValue.quoted(value))",
                    expected: "no \(name) header", actual: JSONValue.quoted(value))
            ]
        case .containsToken(let token):
            let expected = JSONValue.quoted(token)
            guard let value else {
                return [
                    failure(.headerToken, "\(name): expected \(expected), got no \(name) header", expected: expected)
                ]
            }
            let tokens = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard !tokens.contains(token.lowercased()) else { return [] }
            return [
                failure(
                    .headerToken, "\(name): expected \(expected), got \(JSONValue.quoted(value))", expected: expected,
                    actual: JSONValue.quoted(value))
            ]
        case .matches(let regex):
            let pattern = "a value matching \(regex)"
            guard let value else {
                return [
                    failure(.headerMatches, "\(name): expected \(pattern), got no \(name) header", expected: pattern)
                ]
            }
            let expected = "\(name): expected \(pattern)"
            do {
                guard try !regex.matches(in: value, deadline: response.deadline) else { return [] }
            } catch {
                let seen = "a value of \(value.unicodeScalars.count) characters: \(error)"
                return [failure(.headerMatches, "\(expected), got \(seen)", expected: pattern, actual: seen)]
            }
            return [
                failure(
                    .headerMatches, "\(expected), got \(JSONValue.quoted(value))", expected: pattern,
                    actual: JSONValue.quoted(value))
            ]
        case .scheme(let scheme):
            let challenge = "a challenge with the \(JSONValue.quoted(scheme)) scheme"
            let expected = "\(name): expected \(challenge)"
            guard let value else {
                return [failure(.headerChallenge, "\(expected), got no \(name) header", expected: challenge)]
            }
            // Each challenge starts with its scheme; a list may hold several (RFC 9110 §11.6.1).
            let schemes = value.split(separator: ",").compactMap { part -> Substring? in
                let words = part.split(separator: " ", omittingEmptySubsequences: true)
                guard let first = words.first, !first.contains("=") else { return nil }
                return first
            }
            guard !schemes.contains(where: { ASCII.equalsIgnoringCase(String($0), scheme) }) else { return [] }
            return [
                failure(
                    .headerChallenge, "\(expected), got \(JSONValue.quoted(value))", expected: challenge,
                    actual: JSONValue.quoted(value))
            ]
        }
    }

    /// A failure at this header; a missing header's actual value is "no header".
    private func failure(_ check: CheckID, _ message: String, expected: String, actual: String? = nil) -> Finding {
        .failure(check, message, location: .header(name), expected: expected, actual: actual ?? "no \(name) header")
    }
}
