import Foundation
import Testing

@testable import ConformHTTP
@testable import ConformKit

/// A transport for one test, and requests to a scripted server.
enum TransportTest {
    static func transport(
        timeout: Double = 5, maxBody: Int = 1 << 20, perHost: Int = 8, tls: TLSClientOptions = TLSClientOptions(),
        proxy: ProxyConfiguration = .none
    ) throws -> HTTPTransport {
        try HTTPTransport(
            TransportConfiguration(
                timeoutSeconds: timeout, maxBodyBytes: maxBody, maxConnectionsPerHost: perHost, tls: tls, proxy: proxy))
    }

    static func request(_ url: URL, method: String = "GET", body: String? = nil) -> PreparedRequest {
        PreparedRequest(
            method: method, url: url, headers: [("Content-Type", "application/json")],
            body: body.map { Data($0.utf8) })
    }

    static func text(_ exchange: Exchange) -> String? {
        exchange.response.map { String(decoding: $0.body, as: UTF8.self) }
    }
}
