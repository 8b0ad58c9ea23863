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

    /// `POST http://127.0.0.1:8080/…?client_secret=…`, as sent (masked when it is shown).
    public var summary: String {
        "\(method) \(url.absoluteString)"
    }
}
