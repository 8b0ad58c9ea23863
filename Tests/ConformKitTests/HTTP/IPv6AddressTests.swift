import Foundation
import Testing

@testable import ConformHTTP
@testable import ConformKit

/// IPv6 literals in URLs are bracketed, in the host header too; the bare address is what is dialled.
@Suite struct IPv6AddressTests {
    @Test func aBaseURLWithAnIPv6LiteralKeepsItsBrackets() throws {
        let url = try BaseURL.parse("http://[::1]:8080").get()
        #expect(url.absoluteString == "http://[::1]:8080")
        let built = try #require(BaseURL.url(base: url, path: "/oauth/token", query: [("a", "b c")]))
        #expect(built.absoluteString == "http://[::1]:8080/oauth/token?a=b%20c")
        let request = PreparedRequest(method: "GET", url: built, headers: [], body: nil)
        let target = try request.target.get()
        #expect(target.host == "::1")
        #expect(target.port == 8080)
        #expect(target.authority == "[::1]:8080")
        let bytes = HTTP1Request(request, to: target).originForm
        #expect(String(buffer: bytes).hasPrefix("GET /oauth/token?a=b%20c HTTP/1.1\r\nHost: [::1]:8080\r\n"))
    }

    @Test func theMockBracketsAnIPv6AddressInItsURL() {
        #expect(MockServer.baseURL(host: "::1", port: 80, secure: false)?.absoluteString == "http://[::1]:80")
        #expect(MockServer.baseURL(host: "[::1]", port: 80, secure: true)?.absoluteString == "https://[::1]:80")
        #expect(MockServer.baseURL(host: "127.0.0.1", port: 9, secure: false)?.absoluteString == "http://127.0.0.1:9")
        #expect(
            MockServer.baseURL(host: "fe80::1%eth0", port: 9, secure: false)?.absoluteString
                == "http://[fe80::1%25eth0]:9")
        #expect(MockServer.bare("[::1]") == "::1")
        #expect(MockServer.bare("::1") == "::1")
    }
}
