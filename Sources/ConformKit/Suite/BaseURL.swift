import ConformJSON
import Foundation

/// The target of a run: scheme, host and port only. The suite's paths are kept as documented.
enum BaseURL {
    /// Parses `https://host[:port]`; a path, query or credentials are refused with the reason.
    static func parse(_ text: String) -> Result<URL, BaseURLProblem> {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            return .failure(
                BaseURLProblem("\(JSONValue.quoted(text)) is not an absolute URL such as https://api.example.com"))
        }
        guard scheme == "http" || scheme == "https" else {
            return .failure(BaseURLProblem("\(JSONValue.quoted(text)) must use http or https, not \(scheme)"))
        }
        if let port = components.port, !(1...65535).contains(port) {
            return .failure(BaseURLProblem("\(JSONValue.quoted(text)) has port \(port); a port is 1 to 65535"))
        }
        guard components.user == nil, components.password == nil else {
            return .failure(BaseURLProblem("must not carry credentials; use the suite's variables"))
        }
        guard components.path.isEmpty || components.path == "/", components.query == nil, components.fragment == nil
        else {
            return .failure(
                BaseURLProblem(
                    "\(JSONValue.quoted(text)) must be scheme://host[:port] only: the suite's paths are kept as documented"
                ))
        }
        var normalized = URLComponents()
        normalized.scheme = scheme
        normalized.host = host
        normalized.port = components.port
        guard let url = normalized.url else {
            return .failure(BaseURLProblem("\(JSONValue.quoted(text)) is not a valid URL"))
        }
        return .success(url)
    }

    /// The base URL with the path and the query (already percent-encoded by ``encodeQueryValue(_:)``).
    static func url(base: URL, path: String, query: [(String, String)]) -> URL? {
        guard var components = URLComponents(url: base, resolvingAgainstBaseURL: false) else { return nil }
        components.percentEncodedPath = path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? String($0) }
            .joined(separator: "/")
        if !query.isEmpty {
            components.percentEncodedQuery = query.map { "\(encodeQueryValue($0.0))=\(encodeQueryValue($0.1))" }
                .joined(separator: "&")
        }
        return components.url
    }

    /// Percent-encodes everything but unreserved characters, so that `+`, `&` and `=` in a secret survive.
    static func encodeQueryValue(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? value
    }
}

/// Why a base URL was refused.
struct BaseURLProblem: Error, Sendable, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
