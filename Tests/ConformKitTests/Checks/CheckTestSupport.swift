import Foundation

@testable import ConformHTTP
@testable import ConformKit

/// A response as a check sees it, built from literal parts.
func response(
    status: Int = 200, contentType: String? = "application/json", headers: [(String, String)] = [], body: String,
    kind: ResponseDocument.Kind = .json, milliseconds: Double = 5
) -> ResponseUnderTest {
    var allHeaders = headers.map { (name: $0.0, value: $0.1) }
    if let contentType { allHeaders.append((name: "Content-Type", value: contentType)) }
    let snapshot = HTTPResponseSnapshot(status: status, reason: "", headers: allHeaders, body: Data(body.utf8))
    let timing = ExchangeTiming(total: .nanoseconds(Int64(milliseconds * 1_000_000)))
    return ResponseUnderTest(response: snapshot, timing: timing, document: ResponseDocument.decode(snapshot, as: kind))
}

/// The messages of a check's findings, prefixed with their severity.
func messages(_ check: some Check, _ subject: ResponseUnderTest) -> [String] {
    check.evaluate(subject).map { "\($0.severity.rawValue): \($0.message)" }
}

let validTokenBody = """
    {"access_token": "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ4In0.c2ln", "refresh_token": "AMf-1",
     "scope": "policy", "token_type": "Bearer", "expires_in": 3600}
    """
