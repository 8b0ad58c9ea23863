import ConformJSON
import Foundation

/// The body is a JWK Set of public keys (``KeySetExpectation``): what RFC 7517 and RFC 7518 §6 ask of a
/// set that a provider publishes at its `jwks_uri`. Each problem names the key by position and `kid`:
/// `keys[1] (kid "ec-1"): publishes the private member d (RFC 7518 §6.2.2): a JWK Set at jwks_uri is public`.
struct KeySetCheck: Check {
    var expectation: KeySetExpectation

    static let check = CheckID.jwks
    /// Private members of RSA (RFC 7518 §6.3.2), EC (§6.2.2) and OKP keys (RFC 8037 §2); `k` is a
    /// symmetric key's secret (§6.4.1).
    static let privateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"]
    static let uses = ["sig", "enc"]

    func evaluate(_ response: ResponseUnderTest) -> [Finding] {
        guard case .json(let body) = response.document, case .object(let members) = body,
            case .array(let keys)? = members["keys"]
        else {
            return [.failure(Self.check, "body: expected a JWK Set (an object with a \"keys\" array, RFC 7517 §5)")]
        }
        guard keys.count <= JSONWebKeySet.maximumKeys else {
            return [
                .failure(
                    Self.check,
                    "keys: \(keys.count) keys, more than the \(JSONWebKeySet.maximumKeys) conform reads")
            ]
        }
        var findings: [Finding] = []
        if keys.count < expectation.minimumKeys {
            findings.append(
                .failure(Self.check, "keys: expected at least \(expectation.minimumKeys), got \(keys.count)"))
        }
        var firstWithKid: [String: Int] = [:]
        for (index, key) in keys.enumerated() {
            var kid: String?
            if case .object(let fields) = key, case .string(let id)? = fields["kid"] { kid = id }
            let name = "keys[\(index)]\(kid.map { " (kid \(JSONValue.quoted($0)))" } ?? "")"
            findings += Self.problems(key).map { .failure(Self.check, "\(name): \($0)") }
            if let kid {
                if let first = firstWithKid[kid] {
                    findings.append(
                        .failure(
                            Self.check,
                            "\(name): the kid of keys[\(first)] too; keys of one set need distinct kids (RFC 7517 §4.5), or a token's kid names no single key"
                        ))
                } else {
                    firstWithKid[kid] = index
                }
            }
        }
        return findings
    }

    /// What is wrong with one member of `keys`.
    static func problems(_ key: JSONValue) -> [String] {
        guard case .object(let fields) = key else { return ["is \(key.typeDescription), not a JWK object"] }
        let leaked = privateMembers.filter { fields[$0] != nil }
        if !leaked.isEmpty {
            let members = leaked.joined(separator: ", ")
            return [
                "publishes the private member\(leaked.count == 1 ? "" : "s") \(members) (RFC 7517 §9.2, RFC 7518 §6): a key set at jwks_uri is public, and these let anyone sign as the issuer"
            ]
        }
        var problems: [String] = []
        let parsed: JSONWebKey
        do {
            parsed = try JSONWebKey.read(key)
        } catch {
            return ["cannot be read: \(error)"]
        }
        if let use = parsed.use, !uses.contains(use) {
            problems.append("use \(JSONValue.quoted(use)) is neither \"sig\" nor \"enc\" (RFC 7517 §4.2)")
        }
        if let alg = parsed.algorithm, let algorithm = JWTAlgorithm(rawValue: alg) {
            if algorithm.keyKind != parsed.material.kind {
                problems.append("alg \(alg) needs \(algorithm.keyKind), but the key is \(parsed.material.kind)")
            }
            if parsed.use == "enc" {
                problems.append("alg \(alg) is a signature algorithm, but use is \"enc\"")
            }
        }
        return problems
    }
}
