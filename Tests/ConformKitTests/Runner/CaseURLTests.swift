import Foundation
import Testing

@testable import ConformKit

/// A captured absolute URL as a request target: http(s) on an origin the user named, nothing else.
@Suite struct CaseURLTests {
    static let base = URL(string: "http://127.0.0.1:4444")!
    static let trusted = CaseURL.trustedOrigins(
        base: base, variables: ["issuer": "https://idp.example.com/realms/x", "name": "not a url"])

    static func target(_ text: String, query: [(String, String)] = []) -> String {
        switch CaseURL.url(text, base: base, query: query, trusted: trusted) {
        case .success(let url): url.absoluteString
        case .failure(let problem): "error: \(problem)"
        }
    }

    @Test func trustedOriginsAreTheBaseURLsAndThoseOfVariables() {
        #expect(Self.trusted.map(\.description).sorted() == ["http://127.0.0.1:4444", "https://idp.example.com"])
    }

    @Test func pathsAndURLsOnANamedOrigin() {
        #expect(Self.target("/token", query: [("a", "b c")]) == "http://127.0.0.1:4444/token?a=b%20c")
        #expect(Self.target("http://127.0.0.1:4444/token") == "http://127.0.0.1:4444/token")
        #expect(
            Self.target("HTTPS://IDP.example.com:443/t?x=1", query: [("y", "2")])
                == "https://IDP.example.com:443/t?x=1&y=2")
        #expect(Self.target("https://idp.example.com") == "https://idp.example.com/")
    }

    @Test func hostileTargetsAreClearErrors() {
        #expect(
            Self.target("javascript:alert(1)")
                == #"error: the request target "javascript:alert(1)" is a javascript: URL; only http and https URLs, or a path starting with '/', can be sent"#
        )
        #expect(
            Self.target("file:///etc/passwd")
                == #"error: the request target "file:///etc/passwd" is a file: URL; only http and https URLs, or a path starting with '/', can be sent"#
        )
        #expect(
            Self.target("token endpoint")
                == #"error: the request target "token endpoint" is neither a path starting with '/' nor an http(s) URL"#
        )
        #expect(
            Self.target("") == #"error: the request target "" is neither a path starting with '/' nor an http(s) URL"#)
        #expect(
            Self.target("http://")
                == #"error: the request target "http://" is not a valid http(s) URL with a host"#)
        #expect(
            Self.target("https://evil.example.com/token")
                == #"error: the request target "https://evil.example.com/token" is on https://evil.example.com, which neither the base URL nor a suite variable names (http://127.0.0.1:4444, https://idp.example.com); conform sends no request, and no credentials, to an origin only a response named"#
        )
        #expect(
            Self.target("http://127.0.0.1:4445/token")
                == #"error: the request target "http://127.0.0.1:4445/token" is on http://127.0.0.1:4445, which neither the base URL nor a suite variable names (http://127.0.0.1:4444, https://idp.example.com); conform sends no request, and no credentials, to an origin only a response named"#
        )
        #expect(
            Self.target("http://user:pw@127.0.0.1:4444/token")
                == #"error: the request target "http://user:pw@127.0.0.1:4444/token" carries credentials in its URL; use the suite's variables"#
        )
        #expect(
            Self.target("http://127.0.0.1:4444/t#frag")
                == #"error: the request target "http://127.0.0.1:4444/t#frag" is not a valid http(s) URL with a host"#)
    }

    @Test func shapeProblemsBeforeTheRun() {
        #expect(CaseURL.shapeProblem("https://anywhere.example.com/x") == nil)
        #expect(CaseURL.shapeProblem("/x") == nil)
        #expect(
            CaseURL.shapeProblem("ftp://x")?.description.hasPrefix("the request target \"ftp://x\" is a ftp: URL")
                == true)
    }
}
