import ConformHTTP
import Foundation

/// Key sets named by URL in `jwt` rules (`"jwks_url"`): fetched once per run through the run's transport,
/// before the first case that needs one is prepared, and kept in ``RunValues/keySets``.
extension SuiteRunner {
    func fetchKeySets(for testCase: TestCase, values: inout RunValues) async {
        let blocks = [testCase.expect] + (testCase.warn.map { [$0] } ?? [])
        for rule in blocks.flatMap({ $0.fields.flatMap(\.rules) }) {
            guard case .url(let template)? = rule.jwtExpectation?.keys, let rendered = values.render(template),
                values.keySets[rendered] == nil
            else { continue }
            values.keySets[rendered] = await fetchKeySet(rendered)
        }
    }

    /// One key set: an http(s) URL, or a path on the run's base URL (the embedded mock serves one).
    func fetchKeySet(_ text: String) async -> KeySetFetch {
        let origin = "the key set \(text)"
        let target: URL?
        if text.hasPrefix("/") {
            target = BaseURL.url(base: baseURL, path: text, query: [])
        } else if let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
            url.host != nil
        {
            target = url
        } else {
            target = nil
        }
        guard let target else { return .failed("\(origin) is neither an http(s) URL nor a path on the base URL") }
        let request = PreparedRequest(
            method: "GET", url: target,
            // Closed after: the first case still opens (and times) a connection of its own.
            headers: [(name: "Accept", value: "application/json"), (name: "Connection", value: "close")], body: nil)
        let exchange = await transport.send(request)
        if let failure = exchange.failure { return .failed("\(origin) could not be fetched: \(failure)") }
        guard let response = exchange.response else { return .failed("\(origin) could not be fetched") }
        guard response.status == 200 else {
            return .failed("\(origin) answered \(response.status), not 200 with a JWK Set")
        }
        do {
            return .keys(try JSONWebKeySet.parse(response.body), origin: origin)
        } catch {
            return .failed("\(origin): \(error)")
        }
    }
}
