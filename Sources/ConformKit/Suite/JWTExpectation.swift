import ConformJSON
import ConformRegex
import ConformSupport
import Foundation

/// What a field holding a JWT must show beyond its shape (`{"jwt": {…}}` on a field): the JOSE header and
/// the claims decoded, and, as the suite asks, the signature verified, the algorithm allowed, `typ`, `iss`,
/// `aud`, the times, the lifetime against a field of the same response, required and compared claims.
struct JWTExpectation: Sendable {
    /// Algorithms the token may use; `nil` allows every one conform verifies. `none` is never accepted.
    var algorithms: [String]?
    /// `typ`, compared case-insensitively, with or without `application/` (RFC 7515 §4.1.9).
    var type: String?
    var issuer: Template?
    /// The `aud` claim is this string, or an array containing it.
    var audience: Template?
    /// Claims compared with a value: a string is a template (variables, captures), anything else literal.
    var claims: [(name: String, value: ClaimValue)] = []
    /// Claims that must be strings in which a pattern (ECMA-262, linear time) matches: `iss` of a tenant.
    var claimPatterns: [(name: String, pattern: LinearRegex)] = []
    /// Claims that must be present.
    var requiredClaims: [String] = []
    /// A field of the same response that `exp - iat` must equal, within the skew: `expires_in`.
    var lifetimeField: FieldPath?
    /// `exp` in the future, `iat` and `nbf` not in the future, when the claims are there.
    var checksTimes = true
    /// Seconds of clock difference forgiven in every time comparison.
    var skewSeconds: Double = JWTExpectation.defaultSkewSeconds
    /// `"at_hash": "access_token"`: the field of the same response holding the access token whose hash the
    /// ID token's `at_hash` must carry (OpenID Connect Core §3.1.3.8, §3.2.2.9).
    var accessTokenHashField: FieldPath?
    /// `"azp": "${client_id}"`: the authorized party, required when `aud` names several audiences and equal
    /// to this whenever present (OpenID Connect Core §2, §3.1.3.7).
    var authorizedParty: Template?
    /// Where the key that verifies the signature comes from; `nil`: the signature is not verified.
    var keys: JWTKeySource?
    var location: SourceLocation

    static let defaultSkewSeconds: Double = 60
    /// RFC 9068 §2.2: the claims a JWT access token must carry (`"required_claims": "rfc9068"`).
    static let rfc9068Claims = ["iss", "exp", "aud", "sub", "client_id", "iat", "jti"]

    enum ClaimValue: Sendable {
        case template(Template)
        case literal(JSONValue)
    }

    /// The references that must have a value for the expectation to be checked (the key set's URL is
    /// optional: without it the signature is not verified, and a note says so).
    var templates: [Template] {
        var all = [issuer, audience, authorizedParty].compactMap { $0 }
        for claim in claims { if case .template(let template) = claim.value { all.append(template) } }
        if case .hmacSecret(let secret)? = keys { all.append(secret) }
        return all
    }
}

/// The key that verifies a JWT's signature.
enum JWTKeySource: Sendable {
    /// A key set held in the suite, or read from a file when the suite was loaded.
    case keySet(JSONWebKeySet, origin: String)
    /// A key set fetched once per run through the run's transport; a path is relative to the base URL.
    case url(Template)
    /// HS256/384/512 with a shared secret (a secret variable).
    case hmacSecret(Template)
}

extension FieldRule {
    /// The JWT expectation of a `{"jwt": {…}}` rule, also under `if_present`.
    var jwtExpectation: JWTExpectation? {
        switch self {
        case .jwtClaims(let expectation): expectation
        case .ifPresent(let rule): rule.jwtExpectation
        default: nil
        }
    }
}
