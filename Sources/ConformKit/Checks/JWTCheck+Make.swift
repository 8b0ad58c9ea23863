import ConformSupport
import Crypto
import Foundation

extension JWTCheck {
    /// The check for a `{"jwt": {…}}` rule (also under `if_present`) with the run's values; `nil` for any
    /// other rule.
    static func make(
        _ path: FieldPath, _ rule: FieldRule, presence: FieldRuleCheck.Presence, values: RunValues
    ) -> JWTCheck? {
        guard let expectation = rule.jwtExpectation else { return nil }
        let optional: Bool
        if case .ifPresent = rule { optional = true } else { optional = false }
        var check = JWTCheck(path: path, expectation: expectation, optional: optional, presence: presence)
        // Every required reference has a value here (a case missing one is skipped before it is prepared).
        check.issuer = expectation.issuer.flatMap(values.render)
        check.audience = expectation.audience.flatMap(values.render)
        check.authorizedParty = expectation.authorizedParty.flatMap(values.render)
        check.claims = expectation.claims.map { claim in
            switch claim.value {
            case .literal(let value): (claim.name, value)
            case .template(let template): (claim.name, .string(values.render(template) ?? template.source))
            }
        }
        switch expectation.keys {
        case nil:
            check.keys = .none
        case .keySet(let set, let origin)?:
            check.keys = .keySet(set, origin: origin)
        case .hmacSecret(let template)?:
            check.keys = .secret(SymmetricKey(data: Data((values.render(template) ?? "").utf8)))
        case .url(let template)?:
            guard let url = values.render(template) else {
                let unset = template.references.compactMap { segment -> String? in
                    guard case .variable(let name) = segment, values.variables[name] == nil else { return nil }
                    let environment = values.unset[name]?.environmentNames ?? []
                    return "'\(name)'\(environment.isEmpty ? "" : " (\(environment.joined(separator: ", ")))")"
                }
                check.keys = .unavailable(
                    "signature not verified: \(unset.isEmpty ? "the key set's URL has no value" : "variable \(unset.joined(separator: ", ")) is not set")"
                )
                return check
            }
            switch values.keySets[url] {
            case .keys(let set, let origin)?: check.keys = .keySet(set, origin: origin)
            case .failed(let why)?: check.keys = .failed(why)
            case nil: check.keys = .unavailable("signature not verified: the key set \(url) was not fetched")
            }
        }
        return check
    }
}

/// A key set fetched for a `jwks_url`, or why it could not be had.
enum KeySetFetch: Sendable {
    case keys(JSONWebKeySet, origin: String)
    case failed(String)
}
