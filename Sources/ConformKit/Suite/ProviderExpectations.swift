import ConformSupport
import Foundation

/// `"jwks": {…}` in an `expect` or `warn` block: the body is a JWK Set of public keys (RFC 7517 §5), each
/// readable, with distinct `kid`s, a `kty` that fits its `alg`, a `use` of `sig` or `enc`, and no private
/// member (`d`, `p`, `q`, `dp`, `dq`, `qi`, `oth`; `k` of a symmetric key). Made by ``KeySetCheck``.
struct KeySetExpectation: Sendable {
    /// At least this many keys (1 by default: an empty set verifies nothing).
    var minimumKeys = 1
    var location: SourceLocation
}

/// `"oidc_metadata": {…}`: the body is an issuer's metadata, OpenID Connect Discovery 1.0 §3 (`"profile":
/// "openid"`, the default) or RFC 8414 §2 (`"profile": "rfc8414"`), judged as ``ProviderMetadataCheck`` says.
struct ProviderMetadataExpectation: Sendable {
    enum Profile: String, Sendable, CaseIterable {
        case openid
        case rfc8414
    }

    var profile: Profile = .openid
    /// The issuer the document was fetched for: `issuer` must equal it exactly (Discovery §4.3, RFC 8414 §3.3).
    var issuer: Template?
    /// Grants the suite's cases use and the server serves: each must be in `grant_types_supported`.
    var grantsServed: [String] = []
    var location: SourceLocation

    var templates: [Template] { issuer.map { [$0] } ?? [] }
}
