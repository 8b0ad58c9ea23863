import ConformJSON
import ConformSupport

/// A header meets its rule: it holds a token in its comma-separated list (`Cache-Control: no-store`), it is
/// absent, or it is a challenge with an authentication scheme (`WWW-Authenticate: Basic realm="…"`).
/// Header names, tokens and schemes compare case-insensitively (RFC 9110).
package struct HeaderCheck: Check {
    package var name: String
    var rule: HeaderRule

    package init(name: String, rule: HeaderRule) {
        self.name = name
        self.rule = rule
    }

    package init(name: String, token: String) {
        self.init(name: name, rule: .containsToken(token))
    }

    package func evaluate(_ response: ResponseUnderTest) -> [Finding] {
        let value = response.response.headerList(name)
        switch rule {
        case .absent:
            guard let value else { return [] }
            return [.failure("header", "\(name): expected no \(name) header, got \(JSONValue.quoted(value))")]
        case .containsToken(let token):
            guard let value else {
                return [.failure("header", "\(name): expected \(JSONValue.quoted(token)), got no \(name) header")]
            }
            let tokens = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard !tokens.contains(token.lowercased()) else { return [] }
            return [.failure("header", "\(name): expected \(JSONValue.quoted(token)), got \(JSONValue.quoted(value))")]
        case .matches(let regex):
            guard let value else {
                return [.failure("header", "\(name): expected a value matching \(regex), got no \(name) header")]
            }
            let expected = "\(name): expected a value matching \(regex)"
            do {
                guard try !regex.matches(in: value, deadline: response.deadline) else { return [] }
            } catch {
                return [
                    .failure("header", "\(expected), got a value of \(value.unicodeScalars.count) characters: \(error)")
                ]
            }
            return [.failure("header", "\(expected), got \(JSONValue.quoted(value))")]
        case .scheme(let scheme):
            let expected = "\(name): expected a challenge with the \(JSONValue.quoted(scheme)) scheme"
            guard let value else { return [.failure("header", "\(expected), got no \(name) header")] }
            // Each challenge starts with its scheme; a list may hold several (RFC 9110 §11.6.1).
            let schemes = value.split(separator: ",").compactMap { part -> Substring? in
                let words = part.split(separator: " ", omittingEmptySubsequences: true)
                guard let first = words.first, !first.contains("=") else { return nil }
                return first
            }
            guard !schemes.contains(where: { ASCII.equalsIgnoringCase(String($0), scheme) }) else { return [] }
            return [.failure("header", "\(expected), got \(JSONValue.quoted(value))")]
        }
    }
}
