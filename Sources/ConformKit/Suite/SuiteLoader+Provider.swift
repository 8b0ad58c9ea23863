import ConformJSON
import Foundation

extension SuiteFileReader.Keys {
    static let keySet = ["min_keys"]
    static let providerMetadata = ["profile", "issuer", "grants_served"]
}

/// `"jwks"` and `"oidc_metadata"` in an `expect` or `warn` block (``KeySetExpectation``,
/// ``ProviderMetadataExpectation``).
extension SuiteFileReader {
    /// `"jwks": true` or `"jwks": {"min_keys": 2}`.
    func readKeySet(_ node: JSONNode) -> KeySetExpectation? {
        var expectation = KeySetExpectation(location: node.location)
        if case .bool(true) = node.value { return expectation }
        guard case .object = node.value,
            let object = ObjectReader(node, context: "'jwks'", allowed: Keys.keySet, sink: sink)
        else {
            sink.error(
                "'jwks' takes true or an object such as {\"min_keys\": 1}, got \(node.typeDescription)",
                at: node.location)
            return nil
        }
        if let minimum = object.integer("min_keys") {
            guard (0...JSONWebKeySet.maximumKeys).contains(minimum) else {
                sink.error("'min_keys' must be 0 to \(JSONWebKeySet.maximumKeys), got \(minimum)", at: node.location)
                return nil
            }
            expectation.minimumKeys = minimum
        }
        return expectation
    }

    /// `"oidc_metadata": {"issuer": "${issuer}", "profile": "openid", "grants_served": ["refresh_token"]}`.
    func readProviderMetadata(_ node: JSONNode) -> ProviderMetadataExpectation? {
        guard case .object = node.value,
            let object = ObjectReader(
                node, context: "'oidc_metadata'", allowed: Keys.providerMetadata, sink: sink)
        else {
            sink.error(
                "'oidc_metadata' takes an object such as {\"issuer\": \"${issuer}\"}, got \(node.typeDescription)",
                at: node.location)
            return nil
        }
        var expectation = ProviderMetadataExpectation(location: node.location)
        if let profile = object.string("profile", nonEmpty: true) {
            guard let known = ProviderMetadataExpectation.Profile(rawValue: profile) else {
                let names = ProviderMetadataExpectation.Profile.allCases.map { "\"\($0.rawValue)\"" }
                sink.error(
                    "'profile' must be \(names.joined(separator: " or ")), got \(JSONValue.quoted(profile))",
                    at: object.node("profile")?.location ?? node.location)
                return nil
            }
            expectation.profile = known
        }
        if let text = object.string("issuer", nonEmpty: true), let location = object.node("issuer")?.location {
            guard let template = parseTemplate(text, at: location, scope: .testCase) else { return nil }
            expectation.issuer = template
        }
        for item in object.array("grants_served") ?? [] {
            guard case .string(let grant) = item.value, !grant.isEmpty else {
                sink.error("'grants_served' holds grant type names, got \(item.typeDescription)", at: item.location)
                return nil
            }
            expectation.grantsServed.append(grant)
        }
        return expectation
    }
}
