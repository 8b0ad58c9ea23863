import Foundation
import NIOConcurrencyHelpers

/// `--har PATH`: every exchange of the run as HAR 1.2 (the HTTP Archive format browsers' developer tools
/// open), written through the output boundary like every report, so secrets are masked.
///
/// Timings map conform's phases onto HAR's: `blocked` is conform's queue, `dns`, `connect` (TCP and, as HAR
/// 1.2 says, the TLS handshake too), `ssl` (the handshake alone), `send`, `wait` and `receive` (the
/// download); `-1` marks a phase that did not happen (a reused connection has no `dns`, `connect` or `ssl`).
/// `time` is the sum of the phases. A request that got no response has status 0 and the reason in
/// `_error`. Response bodies are kept up to ``bodyLimit`` bytes each, cut at the start of a character, and a
/// cut body's text ends in "…" like every cut conform makes (so that the masker masks the start of a secret
/// the cut went through); the archive keeps up to ``entryLimit`` exchanges, and says in a comment how many
/// it left out.
public final class HARRecorder: Sendable {
    static let entryLimit = 10_000
    static let bodyLimit = 64 << 10

    struct Entry: Sendable {
        var started: Date
        var suite: String
        var testCase: String
        var exchange: Exchange
        /// The response body was longer than ``HARRecorder/bodyLimit``: `exchange` holds its start.
        var bodyCut = false
    }

    private struct State {
        var entries: [Entry] = []
        var dropped = 0
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    /// Keeps the exchange in the archive; `false` when the archive is full and it is left out.
    @discardableResult
    func record(_ exchange: Exchange, started: Date, suite: String, testCase: String) -> Bool {
        var entry = Entry(started: started, suite: suite, testCase: testCase, exchange: exchange)
        if let body = exchange.response?.body, body.count > Self.bodyLimit {
            entry.exchange.response?.body = Self.head(of: body)
            entry.bodyCut = true
        }
        return state.withLockedValue { state in
            guard state.entries.count < Self.entryLimit else {
                state.dropped += 1
                return false
            }
            state.entries.append(entry)
            return true
        }
    }

    /// The first ``bodyLimit`` bytes of a body, or fewer so as not to end inside a UTF-8 sequence, copied:
    /// a slice would keep the whole body alive as long as the archive.
    private static func head(of body: Data) -> Data {
        var end = body.startIndex + bodyLimit
        // A continuation byte just past the cut means the character began before it: cut before that.
        var backed = 0
        while backed < 3, end > body.startIndex, body[end] & 0xC0 == 0x80 {
            end -= 1
            backed += 1
        }
        return body[body.startIndex..<end].withUnsafeBytes { Data($0) }
    }

    /// The archive as JSON.
    func document() -> Data {
        let state = state.withLockedValue { $0 }
        let sorted = state.entries.sorted { $0.started < $1.started }
        var log: [String: JSONValue] = [
            "version": .string("1.2"),
            "creator": .object(["name": .string("conform"), "version": .string(ConformDefaults.version)]),
            "entries": .array(sorted.map(Self.entry)),
        ]
        if state.dropped > 0 {
            log["comment"] = .string(
                "\(state.dropped) more exchanges were left out: conform keeps the first \(Self.entryLimit)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(JSONValue.object(["log": .object(log)]))) ?? Data()
    }

    private static func entry(_ entry: Entry) -> JSONValue {
        let exchange = entry.exchange
        let timings = timings(exchange.timing)
        var object: [String: JSONValue] = [
            "startedDateTime": .string(iso8601(entry.started)),
            "time": .number(milliseconds(exchange.timing.total)),
            "request": request(exchange.request),
            "response": response(exchange.response, cut: entry.bodyCut),
            "cache": .object([:]),
            "timings": .object(timings),
            "_conform": .object(["suite": .string(entry.suite), "case": .string(entry.testCase)]),
        ]
        if let address = exchange.remoteAddress { object["serverIPAddress"] = .string(host(of: address)) }
        if let failure = exchange.failure { object["_error"] = .string(failure.description) }
        if let resent = exchange.resent { object["comment"] = .string(resent) }
        return .object(object)
    }

    private static func request(_ request: PreparedRequest) -> JSONValue {
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

    private static func response(_ response: HTTPResponseSnapshot?, cut: Bool) -> JSONValue {
        guard let response else {
            return .object([
                "status": .number(0), "statusText": .string(""), "httpVersion": .string(""), "cookies": .array([]),
                "headers": .array([]), "content": .object(["size": .number(0), "mimeType": .string("")]),
                "redirectURL": .string(""), "headersSize": .number(-1), "bodySize": .number(-1),
            ])
        }
        return .object([
            "status": .number(Double(response.status)), "statusText": .string(response.reason),
            "httpVersion": .string("HTTP/1.1"), "cookies": .array([]), "headers": .array(response.headers.map(pair)),
            "content": .object([
                "size": .number(Double(response.body.count)), "mimeType": .string(response.header("Content-Type") ?? ""),
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

    private static func pair(_ header: (name: String, value: String)) -> JSONValue {
        .object(["name": .string(header.name), "value": .string(header.value)])
    }

    /// UTF-8 text, or the bytes shown with escapes (never Base64, which masking could not read).
    private static func text(_ data: Data) -> String {
        String(data: data, encoding: .utf8) ?? BodyExcerpt.text(of: data, limit: bodyLimit)
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        (duration.milliseconds * 1000).rounded() / 1000
    }

    private static func host(of address: String) -> String {
        if address.hasPrefix("["), let close = address.firstIndex(of: "]") {
            return String(address[address.index(after: address.startIndex)..<close])
        }
        guard let colon = address.lastIndex(of: ":"), address.filter({ $0 == ":" }).count == 1 else { return address }
        return String(address[..<colon])
    }

    private static func iso8601(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
