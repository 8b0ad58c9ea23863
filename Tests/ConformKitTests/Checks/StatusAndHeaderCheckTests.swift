import Testing

@testable import ConformKit

@Suite struct StatusCheckTests {
    @Test func acceptsAnAllowedCodeOrClass() {
        #expect(messages(StatusCheck(allowed: [.exact(200)]), response(body: "{}")).isEmpty)
        #expect(messages(StatusCheck(allowed: [.family(4)]), response(status: 403, body: "{}")).isEmpty)
    }

    @Test func saysWhichKindOfStatusCameInstead() {
        #expect(
            messages(StatusCheck(allowed: [.family(4)]), response(status: 200, body: "{}")) == [
                "failure: expected 4xx, got 200 (a success status)"
            ])
        #expect(
            messages(StatusCheck(allowed: [.exact(400), .exact(403)]), response(status: 503, body: "{}")) == [
                "failure: expected 400 or 403, got 503 (a server error)"
            ])
        #expect(
            messages(StatusCheck(allowed: [.exact(200)]), response(status: 302, body: "")) == [
                "failure: expected 200, got 302 (a redirect)"
            ])
    }

    /// Rate limiting is named with the header's value; conform neither waits nor retries.
    @Test func namesRateLimitingWithRetryAfter() {
        let check = StatusCheck(allowed: [.exact(200)])
        #expect(
            messages(check, response(status: 429, headers: [("Retry-After", "30")], body: "")) == [
                "failure: expected 200, got 429 Too Many Requests: the endpoint is rate-limiting, Retry-After: 30"
            ])
        #expect(
            messages(check, response(status: 429, body: "")) == [
                "failure: expected 200, got 429 Too Many Requests: the endpoint is rate-limiting"
            ])
        #expect(
            messages(
                check, response(status: 503, headers: [("Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT")], body: ""))
                == [
                    "failure: expected 200, got 503 Service Unavailable: the endpoint is unavailable for now, Retry-After: Wed, 21 Oct 2026 07:28:00 GMT"
                ])
        #expect(
            messages(check, response(status: 503, body: "")) == ["failure: expected 200, got 503 (a server error)"])
        #expect(
            messages(check, response(status: 400, headers: [("Retry-After", "30")], body: "")) == [
                "failure: expected 200, got 400 (a client error)"
            ])
        #expect(messages(StatusCheck(allowed: [.exact(429)]), response(status: 429, body: "")).isEmpty)
    }
}

@Suite struct ContentTypeCheckTests {
    @Test func allowsParameters() {
        let check = ContentTypeCheck(expected: ["application/json"])
        #expect(messages(check, response(contentType: "Application/JSON; charset=utf-8", body: "{}")).isEmpty)
    }

    @Test func namesWhatCame() {
        let check = ContentTypeCheck(expected: ["application/xml", "text/xml"])
        #expect(
            messages(check, response(contentType: "text/html; charset=utf-8", body: "")) == [
                "failure: expected application/xml or text/xml, got text/html; charset=utf-8"
            ])
        #expect(
            messages(check, response(contentType: nil, body: "")) == [
                "failure: expected application/xml or text/xml, got no Content-Type header"
            ])
    }
}

@Suite struct HeaderCheckTests {
    @Test func findsATokenInAList() {
        let check = HeaderCheck(name: "Cache-Control", token: "no-store")
        #expect(messages(check, response(headers: [("cache-control", "private, No-Store")], body: "{}")).isEmpty)
    }

    @Test func saysWhatWasThereInstead() {
        let check = HeaderCheck(name: "Cache-Control", token: "no-store")
        #expect(
            messages(check, response(headers: [("Cache-Control", "max-age=60")], body: "{}")) == [
                #"failure: Cache-Control: expected "no-store", got "max-age=60""#
            ])
        #expect(
            messages(check, response(body: "{}")) == [
                #"failure: Cache-Control: expected "no-store", got no Cache-Control header"#
            ])
    }
}

@Suite struct LatencyBudgetCheckTests {
    @Test func statesBudgetAndMeasuredTime() {
        let check = LatencyBudgetCheck(budgetMilliseconds: 2000)
        #expect(messages(check, response(body: "{}", milliseconds: 1999.9)).isEmpty)
        #expect(
            messages(check, response(body: "{}", milliseconds: 2504.26)) == [
                "failure: budget 2000 ms, measured 2504.3 ms"
            ])
    }
}
