import Foundation
import NIOCore
import Testing

@testable import ConformHTTP
@testable import ConformKit
@testable import ConformSupport

/// What conform adds to a case's headers, shown in the HAR exactly as it goes on the wire.
@Suite struct PreparedRequestTests {
    /// `Host` carries a port only when it is not the scheme's default (RFC 9110 §7.2), in the archive as on
    /// the wire.
    @Test(arguments: [
        ("https://api.example.com:443/token", "api.example.com"),
        ("https://api.example.com:8443/token", "api.example.com:8443"),
        ("http://[::1]:80/token", "[::1]"),
    ])
    func theHARShowsTheHostThatIsSent(url: String, host: String) throws {
        let request = PreparedRequest(
            method: "POST", url: URL(string: url)!, headers: [("Content-Type", "application/x-www-form-urlencoded")],
            body: Data("a=b".utf8))
        let agent = "conform/\(ConformDefaults.version)"
        #expect(
            request.headersAsSent.map { "\($0.name): \($0.value)" } == [
                "Host: \(host)", "Content-Type: application/x-www-form-urlencoded", "User-Agent: \(agent)",
                "Content-Length: 3",
            ])
        let target = try request.target.get()
        #expect(
            String(buffer: HTTP1Request(request, to: target).originForm)
                == "POST /token HTTP/1.1\r\nHost: \(host)\r\nContent-Type: application/x-www-form-urlencoded\r\nUser-Agent: \(agent)\r\nContent-Length: 3\r\n\r\na=b"
        )
    }
}

/// The HTTP/1.1 bytes are the connection's: made by the first send, shared by every later one (and by
/// copies of the request), in origin-form or in absolute-form for a proxy.
@Suite struct HTTP1RequestTests {
    @Test func theBytesAreEncodedOnceAndShared() throws {
        let request = PreparedRequest(
            method: "GET", url: URL(string: "http://api.example.com:8080/token?a=b")!, headers: [("Accept", "*/*")],
            body: nil)
        let target = try request.target.get()
        var made = 0
        let first = request.http1.request {
            made += 1
            return HTTP1Request(request, to: target)
        }
        let copy = request
        let second = copy.http1.request {
            made += 1
            return HTTP1Request(request, to: target)
        }
        #expect(made == 1)
        #expect(first.originForm == second.originForm)
        let agent = "conform/\(ConformDefaults.version)"
        #expect(
            String(buffer: first.originForm)
                == "GET /token?a=b HTTP/1.1\r\nHost: api.example.com:8080\r\nAccept: */*\r\nUser-Agent: \(agent)\r\n\r\n"
        )
        #expect(
            String(buffer: first.proxyForm(authorization: "Basic cDpx"))
                == "GET http://api.example.com:8080/token?a=b HTTP/1.1\r\nProxy-Authorization: Basic cDpx\r\nHost: api.example.com:8080\r\nAccept: */*\r\nUser-Agent: \(agent)\r\n\r\n"
        )
    }

    /// A request that cannot be sent is refused when it is made, before any protocol encodes it.
    @Test func aHeaderWithALineBreakIsRefusedBeforeEncoding() {
        let request = PreparedRequest(
            method: "GET", url: URL(string: "http://h/")!, headers: [("X-A", "1\r\nX-B: 2")], body: nil)
        guard case .failure(let failure) = request.target else {
            Issue.record("a header value with CRLF was accepted")
            return
        }
        #expect(failure == .invalidRequest("the value of header X-A holds a line break or NUL"))
        #expect(request.headersAsSent.map(\.name) == ["X-A"])
    }
}
