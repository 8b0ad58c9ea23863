import ConformJSON
import Foundation

/// Where a case's request goes: the rendered `path` is either a path on the run's base URL (`/oauth/token`)
/// or an absolute http(s) URL (`${token_endpoint}`, captured from a discovery document).
///
/// Origin rule: an absolute URL is sent only to an origin the user named, that is the base URL's origin
/// (scheme, host and port; `--base-url` or the suite's `base_url`, or the embedded mock) or the origin of an
/// absolute URL held in one of the suite's variables (`OIDC_ISSUER`). A URL that only a response named (a
/// capture) on another origin is refused: a hostile discovery document cannot make conform send the client's
/// credentials elsewhere. TLS, proxy and timeout options apply to every target alike.
enum CaseURL {
    /// Scheme, lowercased host and port (the scheme's default when none is written).
    struct Origin: Hashable, CustomStringConvertible {
        var scheme: String
        var host: String
        var port: Int

        init?(_ url: URL) {
            guard let components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return nil }
            self.init(components)
        }

        init?(_ components: URLComponents) {
            guard let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
                let host = components.host?.lowercased(), !host.isEmpty
            else { return nil }
            self.scheme = scheme
            self.host = host
            port = components.port ?? (scheme == "https" ? 443 : 80)
        }

        var description: String {
            let bracketed = host.contains(":") ? "[\(host)]" : host
            let defaultPort = port == (scheme == "https" ? 443 : 80)
            return "\(scheme)://\(bracketed)\(defaultPort ? "" : ":\(port)")"
        }
    }

    /// The URL a rendered path names, or why it cannot be sent (a message for the case's error).
    static func url(
        _ rendered: String, base: URL, query: [(String, String)], trusted: Set<Origin>
    ) -> Result<URL, CaseURLProblem> {
        let shown = JSONValue.quoted(rendered)
        if rendered.hasPrefix("/") {
            guard let url = BaseURL.url(base: base, path: rendered, query: query) else {
                return .failure(.init("the path \(shown) does not make a valid URL"))
            }
            return .success(url)
        }
        guard let scheme = scheme(of: rendered) else {
            return .failure(.init("the request target \(shown) is neither a path starting with '/' nor an http(s) URL"))
        }
        guard scheme == "http" || scheme == "https" else {
            return .failure(
                .init(
                    "the request target \(shown) is a \(scheme): URL; only http and https URLs, or a path starting with '/', can be sent"
                ))
        }
        guard var components = URLComponents(string: rendered), components.fragment == nil,
            let origin = Origin(components)
        else {
            return .failure(.init("the request target \(shown) is not a valid http(s) URL with a host"))
        }
        guard components.user == nil, components.password == nil else {
            return .failure(
                .init("the request target \(shown) carries credentials in its URL; use the suite's variables"))
        }
        guard trusted.contains(origin) else {
            let named = trusted.map(\.description).sorted().joined(separator: ", ")
            return .failure(
                .init(
                    "the request target \(shown) is on \(origin), which neither the base URL nor a suite variable names (\(named)); conform sends no request, and no credentials, to an origin only a response named"
                ))
        }
        if !query.isEmpty {
            let added = query.map { "\(BaseURL.encodeQueryValue($0.0))=\(BaseURL.encodeQueryValue($0.1))" }
            components.percentEncodedQuery = ((components.percentEncodedQuery.map { [$0] } ?? []) + added)
                .joined(separator: "&")
        }
        // The transport matches the scheme as written: `HTTPS:` must still mean TLS.
        components.scheme = origin.scheme
        if components.percentEncodedPath.isEmpty { components.percentEncodedPath = "/" }
        guard let url = components.url else {
            return .failure(.init("the request target \(shown) is not a valid http(s) URL with a host"))
        }
        return .success(url)
    }

    /// What is wrong with a rendered path whatever the origin rule says (before the run, when the base URL
    /// may not be known yet), or `nil`.
    static func shapeProblem(_ rendered: String) -> CaseURLProblem? {
        guard !rendered.hasPrefix("/"), let base = URL(string: "http://localhost") else { return nil }
        let own = URLComponents(string: rendered).flatMap(Origin.init)
        if case .failure(let problem) = url(rendered, base: base, query: [], trusted: Set(own.map { [$0] } ?? [])) {
            return problem
        }
        return nil
    }

    /// The origins a request may go to: the base URL's and those of variables holding absolute http(s) URLs.
    static func trustedOrigins(base: URL, variables: [String: String]) -> Set<Origin> {
        var origins = Set(
            variables.values.compactMap { value -> Origin? in
                guard scheme(of: value) != nil, let components = URLComponents(string: value) else { return nil }
                return Origin(components)
            })
        if let origin = Origin(base) { origins.insert(origin) }
        return origins
    }

    /// The lowercased scheme of a URL (`ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"`, RFC 3986 §3.1), or `nil`.
    static func scheme(of text: String) -> String? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let scheme = text[..<colon]
        guard let first = scheme.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic else { return nil }
        let digits: ClosedRange<Unicode.Scalar> = "0"..."9"
        let allowed = scheme.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || digits.contains($0) || "+-.".unicodeScalars.contains($0))
        }
        return allowed ? scheme.lowercased() : nil
    }
}

/// Why a case's request target cannot be sent: the case is an error that says so.
struct CaseURLProblem: Error, Sendable, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
