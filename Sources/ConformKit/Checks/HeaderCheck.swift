/// A header is present and its comma-separated list holds a token, compared case-insensitively
/// (`Cache-Control: no-store`).
public struct HeaderCheck: Check {
    public var name: String
    public var token: String

    public init(name: String, token: String) {
        self.name = name
        self.token = token
    }

    public func evaluate(_ response: ResponseUnderTest) -> [Finding] {
        guard let value = response.response.headerList(name) else {
            return [.failure("header", "\(name): expected \(JSONValue.quoted(token)), got no \(name) header")]
        }
        let tokens = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard !tokens.contains(token.lowercased()) else { return [] }
        return [.failure("header", "\(name): expected \(JSONValue.quoted(token)), got \(JSONValue.quoted(value))")]
    }
}
