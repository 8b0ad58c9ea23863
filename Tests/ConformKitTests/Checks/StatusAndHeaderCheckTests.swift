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
