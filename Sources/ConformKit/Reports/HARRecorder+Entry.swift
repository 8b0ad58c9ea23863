import ConformHTTP
import ConformJSON
import ConformSupport
import Foundation

/// One HAR entry as JSON: request, response (a cut body's text ends in "…"), HAR's timings, the suite's
/// `pageref`, the case and outcome in `comment`, and conform's own `_conform` and `_error`.
extension HARRecorder {
    static func entry(_ entry: Entry) -> JSONValue {
        let exchange = entry.exchange
        let timings = timings(exchange.timing)
        var object: [String: JSONValue] = [
            "startedDateTime": .string(iso8601(entry.started)),
            "time": .number(milliseconds(exchange.timing.total)),
            "request": request(exchange.request),
            "response": response(exchange.response, cut: entry.bodyCut),
            "cache": .object([:]),
            "timings": .object(timings),
            "pageref": .string(entry.suite),
            "comment": .string(comment(entry)),
        ]
        var conform: [String: JSONValue] = ["suite": .string(entry.suite), "case": .string(entry.testCase)]
        if let comparison = entry.comparison { conform["comparison"] = .string(comparison) }
        object["_conform"] = .object(conform)
        if let address = exchange.remoteAddress { object["serverIPAddress"] = .string(host(of: address)) }
        if let failure = exchange.failure { object["_error"] = .string(failure.description) }
        return .object(object)
    }

    /// `case 'refresh': failed: status: expected 200, got 400`, or for a comparison's sample `sample of case
    /// 'refresh' for the comparison 'cached is faster': passed`; then the resend note, if any.
    static func comment(_ entry: Entry) -> String {
        var text =
            entry.comparison.map { "sample of case '\(entry.testCase)' for the comparison '\($0)'" }
            ?? "case '\(entry.testCase)'"
        text += ": \(entry.outcome)"
        if let resent = entry.exchange.resent { text += "; \(resent)" }
        return text
    }

    static func request(_ request: PreparedRequest) -> JSONValue {
        let query = URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.queryItems ?? []
        var object: [String: JSONValue] = [
            "method": .string(request.method), "url": .string(request.url.absoluteString),
            "httpVersion": .string("HTTP/1.1"), "cookies": .array([]),
            "headers": .array(request.headersAsSent.map(pair)),
            "queryString": .array(query.map { pair(($0.name, $0.value ?? "")) }),
            "headersSize": .number(-1), "bodySize": .number(Double(request.body?.count ?? 0)),
        ]
        if let body = request.body {
            let type = request.headersAsSent.first { ASCII.equalsIgnoringCase($0.name, "Content-Type") }?.value
            object["postData"] = .object(["mimeType": .string(type ?? ""), "text": .string(text(body))])
        }
        return .object(object)
    }

    static func response(_ response: HTTPResponseSnapshot?, cut: Bool) -> JSONValue {
        guard let response else {
            return .object([
                "status": .number(0), "statusText": .string(""), "httpVersion": .string(""), "cookies": .array([]),
                "headers": .array([]), "content": .object(["size": .number(0), "mimeType": .string("")]),
                "redirectURL": .string(""), "headersSize": .number(-1), "bodySize": .number(-1),
            ])
        }
        return .object([
            "status": .number(Double(response.status)), "statusText": .string(response.reason),
            "httpVersion": .string(response.httpVersion), "cookies": .array([]),
            "headers": .array(response.headers.map(pair)),
            "content": .object([
                "size": .number(Double(response.body.count)),
                "mimeType": .string(response.header("Content-Type") ?? ""),
                "text": .string(text(response.body) + (cut ? "…" : "")),
            ]),
            "redirectURL": .string(response.header("Location") ?? ""), "headersSize": .number(-1),
            "bodySize": .number(Double(response.body.count)),
        ])
    }

    /// HAR's phases; `connect` includes `ssl` (HAR 1.2).
    static func timings(_ timing: ExchangeTiming) -> [String: JSONValue] {
        func value(_ duration: Duration?) -> JSONValue { .number(duration.map(milliseconds) ?? -1) }
        let connect = timing.connect.map { $0 + (timing.tls ?? .zero) }
        return [
            "blocked": .number(milliseconds(timing.queue)), "dns": value(timing.dns), "connect": value(connect),
            "ssl": value(timing.tls), "send": .number(timing.send.map(milliseconds) ?? 0),
            "wait": .number(timing.wait.map(milliseconds) ?? 0),
            "receive": .number(timing.download.map(milliseconds) ?? 0),
        ]
    }

    static func pair(_ header: (name: String, value: String)) -> JSONValue {
        .object(["name": .string(header.name), "value": .string(header.value)])
    }

    /// UTF-8 text, or the bytes shown with escapes (never Base64, which masking could not read).
    static func text(_ data: Data) -> String {
        String(data: data, encoding: .utf8) ?? BodyExcerpt.text(of: data, limit: bodyLimit)
    }

    static func milliseconds(_ duration: Duration) -> Double {
        (duration.milliseconds * 1000).rounded() / 1000
    }

    static func host(of address: String) -> String {
        if address.hasPrefix("["), let close = address.firstIndex(of: "]") {
            return String(address[address.index(after: address.startIndex)..<close])
        }
        guard let colon = address.lastIndex(of: ":"), address.filter({ $0 == ":" }).count == 1 else { return address }
        return String(address[..<colon])
    }

    static func iso8601(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
