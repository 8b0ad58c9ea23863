import AsyncHTTPClient
import Foundation
import NIOHTTP1

/// A request with every reference resolved, ready to send.
public struct PreparedRequest: Sendable {
    public let method: String
    public let url: URL
    public let headers: [(name: String, value: String)]
    public let body: Data?
    /// The client's request, built once: the same request goes out for every sample of a case.
    let clientRequest: Result<HTTPClient.Request, TransportFailure>

    public init(method: String, url: URL, headers: [(name: String, value: String)], body: Data?) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        var fields = HTTPHeaders()
        for header in headers { fields.add(name: header.name, value: header.value) }
        if !fields.contains(name: "User-Agent") {
            fields.add(name: "User-Agent", value: "conform/\(ConformDefaults.version)")
        }
        do {
            clientRequest = .success(
                try HTTPClient.Request(
                    url: url, method: HTTPMethod(rawValue: method), headers: fields, body: body.map { .data($0) }))
        } catch {
            clientRequest = .failure(.invalidRequest(String(describing: error)))
        }
    }

    /// `POST http://127.0.0.1:8080/…?client_secret=***`, with every secret masked.
    public func summary(secrets: SecretStore) -> String {
        "\(method) \(URLRedaction.redact(url.absoluteString, secrets: secrets))"
    }
}

/// Masks secrets in URLs: every known secret value, and the values of query parameters whose names
/// always carry secrets (for URLs conform did not build itself, such as a redirect's `Location`).
public enum URLRedaction {
    static let sensitiveParameters: Set<String> = [
        "client_secret", "refresh_token", "access_token", "password", "token", "code", "id_token", "assertion",
    ]

    public static func redact(_ url: String, secrets: SecretStore) -> String {
        let masked = secrets.redact(url)
        guard var components = URLComponents(string: masked), let items = components.percentEncodedQueryItems,
            items.contains(where: {
                sensitiveParameters.contains($0.name.lowercased()) && $0.value != ConformDefaults.redactionMask
            })
        else { return masked }
        components.percentEncodedQueryItems = items.map { item in
            guard sensitiveParameters.contains(item.name.lowercased()), item.value != nil else { return item }
            return URLQueryItem(name: item.name, value: ConformDefaults.redactionMask)
        }
        return components.string ?? masked
    }
}
