import ConformSupport
import Foundation

/// Which requests go through an HTTP proxy, from the environment (`HTTPS_PROXY`, `HTTP_PROXY`,
/// `NO_PROXY` and their lower-case forms) or an explicit `--proxy URL`.
///
/// - Upper-case wins over lower-case when both are set, as in Go's `httpproxy`.
/// - `NO_PROXY` is comma-separated: `*` (no proxy at all), domain suffixes with or without a leading dot
///   (`example.com` covers `api.example.com`), IP literals, CIDR ranges (`10.0.0.0/8`, `fd00::/8`) and
///   `host:port` entries. Unlike Go, loopback is proxied unless `NO_PROXY` lists it, as Python and curl do.
/// - `--proxy URL` replaces both proxies; `NO_PROXY` still applies, as with curl.
/// - http:// targets are sent to the proxy in absolute-form; https:// ones through `CONNECT host:port`,
///   with TLS end to end. Credentials in the proxy URL become `Proxy-Authorization: Basic …`; they are
///   secrets (``secrets``) and never appear in messages.
package struct ProxyConfiguration: Sendable, Equatable {
    /// One proxy: where it is and its credentials.
    struct Proxy: Sendable, Hashable {
        var host: String
        var port: Int
        /// The `Proxy-Authorization` value, `Basic …`, when the URL carried credentials.
        var authorization: String?
        /// The user and password from the URL, kept to be masked.
        var credentials: [String]

        /// `host:port`, never with credentials.
        var endpoint: String { "\(host.contains(":") ? "[\(host)]" : host):\(port)" }

        /// The proxy's own answer to `request` (`CONNECT host:port`, or `GET http://…` for plain http), in
        /// words: the status, and for a 407 the authentication schemes it asks for (`Proxy-Authenticate`)
        /// and whether conform sent credentials.
        func answered(_ response: HTTPResponseSnapshot, to request: String) -> String {
            var text = "the proxy answered \(response.status) \(response.reason) to \(request)"
            let schemes = Self.challengeSchemes(response.headers)
            if response.status == 407, !schemes.isEmpty {
                let credentials =
                    authorization == nil
                    ? "the proxy URL carries no credentials" : "it did not accept the proxy URL's credentials"
                text += " (it asks for \(schemes.joined(separator: ", ")) authentication; \(credentials))"
            }
            return text
        }

        /// The schemes of the challenges in `Proxy-Authenticate` headers (RFC 9110 §11.3): the first word of
        /// each comma-separated element, outside quotes, when it is a token: `=` is not a token character, so
        /// an auth-param (`realm="x"`) is no scheme. At most four.
        static func challengeSchemes(_ headers: [(name: String, value: String)]) -> [String] {
            var schemes: [String] = []
            for header in headers where ASCII.equalsIgnoringCase(header.name, "Proxy-Authenticate") {
                var element = ""
                var quoted = false
                var escaped = false
                func take() {
                    let word = element.trimmingCharacters(in: .whitespaces).prefix { $0 != " " && $0 != "\t" }
                    let isToken = !word.isEmpty && word.utf8.allSatisfy(RequestTarget.isTokenByte)
                    if isToken, !schemes.contains(String(word)), schemes.count < 4 {
                        schemes.append(String(word))
                    }
                    element = ""
                }
                for character in header.value {
                    if escaped {
                        escaped = false
                    } else if quoted, character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        quoted.toggle()
                    } else if character == ",", !quoted {
                        take()
                        continue
                    }
                    if !quoted, character != "\"" { element.append(character) }
                }
                take()
            }
            return schemes
        }
    }

    var httpProxy: Proxy?
    var httpsProxy: Proxy?
    package var noProxy: [NoProxyRule]

    static let none = ProxyConfiguration(httpProxy: nil, httpsProxy: nil, noProxy: [])

    init(httpProxy: Proxy?, httpsProxy: Proxy?, noProxy: [NoProxyRule]) {
        self.httpProxy = httpProxy
        self.httpsProxy = httpsProxy
        self.noProxy = noProxy
    }

    /// Reads the proxy variables of `environment`; `override` (`--proxy URL`) replaces both proxies.
    package static func fromEnvironment(
        _ environment: [String: String], override: String? = nil
    ) throws(TransportSetupError) -> ProxyConfiguration {
        func value(_ name: String) -> String? {
            for key in [name.uppercased(), name.lowercased()] {
                if let value = environment[key], !value.isEmpty { return value }
            }
            return nil
        }
        let noProxy = value("no_proxy").map(NoProxyRule.parseList) ?? []
        if let override, !override.isEmpty {
            let proxy = try parse(override)
            return ProxyConfiguration(httpProxy: proxy, httpsProxy: proxy, noProxy: noProxy)
        }
        return ProxyConfiguration(
            httpProxy: try value("http_proxy").map(parse), httpsProxy: try value("https_proxy").map(parse),
            noProxy: noProxy)
    }

    /// Every value that must be masked: the user, the password and the derived header value.
    package var secrets: [String] {
        var values: [String] = []
        for proxy in [httpProxy, httpsProxy].compactMap({ $0 }) {
            values += proxy.credentials.filter { !$0.isEmpty }
            if let authorization = proxy.authorization {
                values.append(authorization)
                values.append(String(authorization.dropFirst("Basic ".count)))
            }
        }
        return Array(Set(values)).sorted()
    }

    /// The proxy for a request to `scheme://host:port`, or `nil` to go direct.
    func proxy(scheme: String, host: String, port: Int) -> Proxy? {
        guard let proxy = scheme == "https" ? httpsProxy : httpProxy else { return nil }
        if noProxy.contains(where: { $0.matches(host: host, port: port) }) { return nil }
        return proxy
    }

    static func parse(_ text: String) throws(TransportSetupError) -> Proxy {
        let withScheme = text.contains("://") ? text : "http://\(text)"
        guard let components = URLComponents(string: withScheme), let host = components.host, !host.isEmpty else {
            throw .invalidProxy(url: redacted(text), reason: "it is not a URL such as http://proxy.example:3128")
        }
        guard components.scheme?.lowercased() == "http" else {
            throw .invalidProxy(
                url: redacted(text),
                reason: "only http:// proxies are supported, not \(components.scheme ?? "")://")
        }
        guard components.path.isEmpty || components.path == "/", components.query == nil else {
            throw .invalidProxy(url: redacted(text), reason: "a proxy URL has no path or query")
        }
        let bareHost = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        var authorization: String?
        var credentials: [String] = []
        if let user = components.user {
            let password = components.password ?? ""
            let decodedUser = user.removingPercentEncoding ?? user
            let decodedPassword = password.removingPercentEncoding ?? password
            credentials = [user, password, decodedUser, decodedPassword]
            authorization = "Basic " + Data("\(decodedUser):\(decodedPassword)".utf8).base64EncodedString()
        }
        return Proxy(
            host: bareHost, port: components.port ?? 80, authorization: authorization, credentials: credentials)
    }

    /// The URL with its credentials masked, for messages.
    static func redacted(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@") else { return text }
        let start = text.range(of: "://")?.upperBound ?? text.startIndex
        guard start < at else { return text }
        return text[..<start] + ConformDefaults.redactionMask + text[at...]
    }
}

/// One entry of `NO_PROXY`.
package enum NoProxyRule: Sendable, Equatable {
    /// `*`: nothing goes through a proxy.
    case everything
    /// `example.com` or `.example.com`: the domain and its subdomains; with a port, that port only.
    case domain(String, port: Int?)
    /// An IP literal or CIDR range (`10.0.0.0/8`), with the prefix length; with a port, that port only.
    case network([UInt8], prefix: Int, port: Int?)

    /// Loopback: 127.0.0.0/8, ::1 and localhost.
    package static let loopback: [NoProxyRule] = [
        .network([127, 0, 0, 0], prefix: 8, port: nil), .network(Array(repeating: 0, count: 15) + [1], prefix: 128, port: nil),
        .domain("localhost", port: nil),
    ]

    static func parseList(_ text: String) -> [NoProxyRule] {
        text.split(separator: ",").compactMap { parse($0.trimmingCharacters(in: .whitespaces)) }
    }

    static func parse(_ entry: String) -> NoProxyRule? {
        if entry.isEmpty { return nil }
        if entry == "*" { return .everything }
        var text = entry.lowercased()
        var port: Int?
        // host:port, [v6]:port; a bare IPv6 literal has colons too.
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let rest = text[text.index(after: close)...]
            if rest.hasPrefix(":") { port = Int(rest.dropFirst()) }
            text = String(text[text.index(after: text.startIndex)..<close])
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.lastIndex(of: ":"),
            let number = Int(text[text.index(after: colon)...])
        {
            port = number
            text = String(text[..<colon])
        }
        let parts = text.split(separator: "/", maxSplits: 1)
        if let address = IPBytes.parse(String(parts[0])) {
            let prefix = parts.count == 2 ? Int(parts[1]) ?? -1 : address.count * 8
            guard (0...(address.count * 8)).contains(prefix) else { return nil }
            return .network(address, prefix: prefix, port: port)
        }
        let domain = text.hasPrefix(".") ? String(text.dropFirst()) : text
        if domain.hasPrefix("*.") { return .domain(String(domain.dropFirst(2)), port: port) }
        return domain.isEmpty ? nil : .domain(domain, port: port)
    }

    func matches(host: String, port: Int) -> Bool {
        let host = host.lowercased()
        switch self {
        case .everything:
            return true
        case .domain(let domain, let rulePort):
            if let rulePort, rulePort != port { return false }
            return host == domain || host.hasSuffix("." + domain)
        case .network(let network, let prefix, let rulePort):
            if let rulePort, rulePort != port { return false }
            guard let address = IPBytes.parse(host), address.count == network.count else { return false }
            var remaining = prefix
            for (a, b) in zip(address, network) where remaining > 0 {
                let bits = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if a & mask != b & mask { return false }
                remaining -= bits
            }
            return true
        }
    }
}

/// IP literals as bytes.
package enum IPBytes {
    package static func parse(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}
