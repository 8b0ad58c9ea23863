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
        let wire = try request.wire.get()
        #expect(
            String(buffer: wire.originForm)
                == "POST /token HTTP/1.1\r\nHost: \(host)\r\nContent-Type: application/x-www-form-urlencoded\r\nUser-Agent: \(agent)\r\nContent-Length: 3\r\n\r\na=b"
        )
    }
}
