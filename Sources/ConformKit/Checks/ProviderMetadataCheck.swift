import ConformJSON
import Foundation

/// The body is an issuer's metadata (``ProviderMetadataExpectation``):
///
/// - required members (OpenID Connect Discovery 1.0 §3: `issuer`, `authorization_endpoint`,
///   `token_endpoint`, `jwks_uri`, `response_types_supported`, `subject_types_supported`,
///   `id_token_signing_alg_values_supported`; RFC 8414 §2: `issuer`, `response_types_supported`, and
///   `authorization_endpoint` unless no advertised grant uses it);
/// - `issuer` exactly the issuer the document was fetched for (Discovery §4.3, RFC 8414 §3.3): a trailing
///   slash differs;
/// - `issuer` and every `…_endpoint` and `…_uri` an https URL without fragment, http only on loopback;
/// - `subject_types_supported` of `public`/`pairwise`, `RS256` among the ID token algorithms (Discovery §3);
/// - every grant the suite's cases are served (`grants_served`) listed in `grant_types_supported`.
struct ProviderMetadataCheck: Check {
    var expectation: ProviderMetadataExpectation
    /// The expectation's `issuer` with the run's values.
    var issuer: String?

    static let check = CheckID.oidcMetadata
    static let openIDRequired = [
        "issuer", "authorization_endpoint", "token_endpoint", "jwks_uri", "response_types_supported",
        "subject_types_supported", "id_token_signing_alg_values_supported",
    ]
    /// `grant_types_supported` when the member is absent (Discovery §3, RFC 8414 §2).
    static let defaultGrants = ["authorization_code", "implicit"]
    static let loopbackHosts: Set<String> = ["127.0.0.1", "::1", "localhost"]

    func evaluate(_ response: ResponseUnderTest) -> [Finding] {
        guard case .json(let body) = response.document, case .object(let members) = body else {
            return [.failure(Self.check, "body: expected a metadata document (a JSON object)")]
        }
        var findings: [Finding] = []
        func fail(_ message: String) { findings.append(.failure(Self.check, message)) }
        let grants = Self.strings(members["grant_types_supported"]) ?? Self.defaultGrants
        let section = expectation.profile == .openid ? "OpenID Connect Discovery 1.0 §3" : "RFC 8414 §2"
        var required = Self.openIDRequired
        if expectation.profile == .rfc8414 {
            required = ["issuer", "response_types_supported"]
            if grants.contains("authorization_code") || grants.contains("implicit") {
                required.insert("authorization_endpoint", at: 1)
            }
        }
        let missing = required.filter { members[$0] == nil }
        if !missing.isEmpty {
            fail(
                "lacks required member\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) (\(section))")
        }
        if let value = members["issuer"] {
            if case .string(let seen) = value {
                if let issuer, seen != issuer {
                    let written = expectation.issuer.map { $0.isLiteral ? "" : " (\($0.source))" } ?? ""
                    fail(
                        "issuer: expected \(JSONValue.quoted(issuer))\(written), got \(JSONValue.quoted(seen)): it must be exactly the issuer the document was fetched for (OpenID Connect Discovery 1.0 §4.3, RFC 8414 §3.3)\(Self.slashNote(seen, issuer))"
                    )
                }
            } else {
                fail("issuer: expected a string, got \(value.seenDescription)")
            }
        }
        for name in members.keys.sorted()
        where name == "issuer" || name.hasSuffix("_endpoint") || name.hasSuffix("_uri") {
            guard let value = members[name] else { continue }
            guard case .string(let text) = value else {
                fail("\(name): expected a URL string, got \(value.seenDescription)")
                continue
            }
            if let problem = Self.urlProblem(text, isIssuer: name == "issuer") { fail("\(name): \(problem)") }
        }
        for name in members.keys.sorted() where name.hasSuffix("_supported") {
            guard let value = members[name], Self.strings(value) == nil else { continue }
            if case .bool = value { continue }  // claims_parameter_supported and its kind are booleans.
            fail("\(name): expected a JSON array of strings, got \(value.seenDescription)")
        }
        if let subjects = Self.strings(members["subject_types_supported"]) {
            let unknown = subjects.filter { $0 != "public" && $0 != "pairwise" }
            if !unknown.isEmpty || subjects.isEmpty {
                fail(
                    "subject_types_supported: expected \"public\" and/or \"pairwise\", got \(subjects.isEmpty ? "an empty array" : unknown.map { JSONValue.quoted($0) }.joined(separator: ", "))"
                )
            }
        }
        if expectation.profile == .openid,
            let algorithms = Self.strings(members["id_token_signing_alg_values_supported"]),
            !algorithms.contains("RS256")
        {
            fail("id_token_signing_alg_values_supported: lacks RS256, which OpenID Connect Discovery 1.0 §3 requires")
        }
        let unlisted = expectation.grantsServed.filter { !grants.contains($0) }
        if !unlisted.isEmpty {
            let listed =
                members["grant_types_supported"] == nil ? " (absent: the default is authorization_code, implicit)" : ""
            fail(
                "grant_types_supported: lacks \(unlisted.map { JSONValue.quoted($0) }.joined(separator: ", ")), which the suite's cases are served\(listed)"
            )
        }
        return findings
    }

    /// An array of strings, or `nil`.
    static func strings(_ value: JSONValue?) -> [String]? {
        guard case .array(let items)? = value else { return nil }
        var strings: [String] = []
        for item in items {
            guard case .string(let text) = item else { return nil }
            strings.append(text)
        }
        return strings
    }

    /// Why a published URL is not an https URL (http allowed on loopback), or `nil`.
    static func urlProblem(_ text: String, isIssuer: Bool) -> String? {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else { return "\(JSONValue.quoted(text)) is not an absolute URL" }
        if components.fragment != nil || (isIssuer && components.query != nil) {
            return
                "\(JSONValue.quoted(text)) has a \(components.fragment != nil ? "fragment" : "query"), which \(isIssuer ? "an issuer" : "an endpoint") may not have (OpenID Connect Discovery 1.0 §3)"
        }
        let loopback = loopbackHosts.contains(MockServer.bare(host).lowercased())
        if scheme == "https" || (scheme == "http" && loopback) { return nil }
        return
            "\(JSONValue.quoted(text)) is not https (OpenID Connect Discovery 1.0 §3, RFC 8414 §2; conform allows http on loopback only)"
    }

    private static func slashNote(_ seen: String, _ expected: String) -> String {
        seen.hasSuffix("/") != expected.hasSuffix("/") ? "; only a trailing slash differs" : ""
    }
}
