import ConformJSON
import Foundation
import NIOConcurrencyHelpers
import NIOHTTP1

/// A conformant OpenID Provider's token side, with deviations on demand.
///
/// - Discovery (OpenID Connect Discovery 1.0 §4) at `/.well-known/openid-configuration`, and the same
///   metadata as RFC 8414 at `/.well-known/oauth-authorization-server`. The issuer is the mock's own origin as
///   the request's `Host` names it (`http://127.0.0.1:PORT`), so every URL it publishes can be followed.
/// - A JWK Set at ``keySetPath`` with an RSA key (access tokens, RS256) and an EC key (ID tokens, ES256).
/// - `POST /token`: `client_credentials` and `refresh_token` (rotated; the used token stops working), with
///   the four client authentication methods of OpenID Connect Core §9 (``authenticate(_:_:endpoint:)``).
///   Access tokens are RFC 9068 JWTs (`typ: at+jwt`); a refresh whose grant holds the `openid` scope also
///   returns an ID token with `at_hash` (Core §3.1.3.6, §12.2).
/// - `POST /revoke` (RFC 7009: an unknown token answers 200) and `POST /introspect` (RFC 7662).
/// - Times come from the injected clock; `jti`s from a counter: the same run gives the same claims.
final class OIDCMock: MockEndpoint {
    static let discoveryPath = "/.well-known/openid-configuration"
    static let metadataPath = "/.well-known/oauth-authorization-server"
    static let keySetPath = "/jwks"
    static let tokenPath = "/token"
    static let revocationPath = "/revoke"
    static let introspectionPath = "/introspect"
    static let authorizationPath = "/authorize"
    static let scopes: Set<String> = ["openid", "profile", "api"]
    static let lifetime = 3600
    static let clientAuthMethods = [
        "client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt",
    ]

    /// The mock's own deviations (the shared faults apply too).
    enum Deviation: String, CaseIterable {
        case jwtAlgNone = "jwt-alg-none"
        case jwtExpired = "jwt-expired"
        case jwtLifetimeMismatch = "jwt-lifetime-mismatch"
        case jwtWrongIssuer = "jwt-wrong-iss"
        case idTokenAudience = "id-token-aud-no-client"
        case jwtNoType = "jwt-no-typ"
        case jwtUnknownKid = "jwt-unknown-kid"
        case jwtBadSignature = "jwt-bad-signature"
        case jwksPrivateMembers = "jwks-private-members"
        case issuerTrailingSlash = "issuer-trailing-slash"
        case authMethodRefused = "auth-method-refused"
        case grantNotListed = "grant-not-listed"
        case revocationIgnored = "revocation-ignored"
        case introspectionActiveAfterRevoke = "revoked-still-active"
        case atHashMismatch = "at-hash-mismatch"

        var summary: String {
            switch self {
            case .jwtAlgNone: "access tokens are unsigned (alg \"none\")"
            case .jwtExpired: "access tokens were issued two hours ago: exp is an hour before the response's Date"
            case .jwtLifetimeMismatch: "access tokens live 4 s (exp - iat) while expires_in says 3600"
            case .jwtWrongIssuer: "access tokens carry an iss other than the issuer"
            case .idTokenAudience: "ID tokens carry an aud without the client (OpenID Connect Core §3.1.3.7)"
            case .jwtNoType: "access tokens carry no typ (RFC 9068 §2.1 asks for at+jwt)"
            case .jwtUnknownKid: "access tokens name a kid the JWK Set does not hold"
            case .jwtBadSignature: "access tokens carry an RS256 signature that does not verify with the JWK Set"
            case .jwksPrivateMembers: "the JWK Set publishes the EC key's private member d (RFC 7517)"
            case .issuerTrailingSlash: "discovery's issuer ends in '/', unlike the issuer it was fetched from"
            case .authMethodRefused: "client_secret_post is advertised but refused with invalid_client"
            case .grantNotListed: "refresh_token is served but missing from grant_types_supported"
            case .revocationIgnored: "revocation answers 200 and revokes nothing (RFC 7009 §2.2)"
            case .introspectionActiveAfterRevoke: "introspection calls a revoked token active (RFC 7662 §2.2)"
            case .atHashMismatch: "ID tokens carry an at_hash of another access token (OpenID Connect Core §3.2.2.9)"
            }
        }
    }

    static let definition = MockDefinition(
        name: "oidc", deviations: Deviation.allCases.map { MockDeviation($0.rawValue, $0.summary) },
        make: { OIDCMock(configuration: $0) })

    let credentials: MockCredentials
    /// Refresh tokens rotate: a refresh uses one up.
    var usesUpCredentials: Bool { true }
    let deviation: Deviation?
    let now: @Sendable () -> Date
    let state: NIOLockedValueBox<OIDCMockState>

    init(configuration: MockConfiguration) {
        let clientID = "conform-oidc-client"
        let refreshToken = MockTokens.random(40, prefix: "rt-")
        credentials = MockCredentials(entries: [
            .init(name: "OIDC_ISSUER", value: MockCredentials.baseURLMarker, secret: false),
            .init(name: "OIDC_CLIENT_ID", value: clientID, secret: false),
            .init(name: "OIDC_CLIENT_SECRET", value: MockTokens.random(32, prefix: "cs-"), secret: true),
            .init(name: "OIDC_CLIENT_AUTH", value: "client_secret_basic", secret: false),
            .init(name: "OIDC_SCOPE", value: "openid", secret: false),
            .init(name: "OIDC_REFRESH_TOKEN", value: refreshToken, secret: true),
        ])
        deviation = configuration.deviation.flatMap(Deviation.init(rawValue:))
        now = configuration.now
        var initial = OIDCMockState()
        initial.refreshTokens[refreshToken] = .init(client: clientID, scope: "openid api", subject: "conform-mock-user")
        state = NIOLockedValueBox(initial)
    }

    func respond(to request: MockRequest) -> MockResponse {
        let issuer = Self.issuer(of: request)
        switch (request.path, request.method) {
        case (Self.discoveryPath, "GET"), (Self.metadataPath, "GET"):
            return json(.ok, metadata(issuer: issuer))
        case (Self.keySetPath, "GET"):
            return json(.ok, OIDCMockKeys.keySet(privateMembers: deviation == .jwksPrivateMembers))
        case (Self.authorizationPath, _):
            return error(.badRequest, "invalid_request", "the mock has no interactive login; use the token endpoint")
        case (Self.tokenPath, "POST"), (Self.revocationPath, "POST"), (Self.introspectionPath, "POST"):
            break
        case (Self.tokenPath, _), (Self.revocationPath, _), (Self.introspectionPath, _):
            return error(.methodNotAllowed, "invalid_request", "use POST", headers: [("Allow", "POST")])
        default:
            return error(.notFound, "invalid_request", "no such endpoint: \(request.path)")
        }
        let contentType = request.headers["Content-Type"].first?.lowercased() ?? ""
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
            return error(.badRequest, "invalid_request", "the body must be application/x-www-form-urlencoded")
        }
        guard let form = OAuth2Mock.formFields(request.body) else {
            return error(.badRequest, "invalid_request", "a parameter is given more than once (RFC 6749 §3.2)")
        }
        let client: String
        switch authenticate(request, form, endpoint: issuer + request.path) {
        case .success(let id): client = id
        case .failure(let failure): return failure.response
        }
        switch request.path {
        case Self.revocationPath: return revoke(form, client: client)
        case Self.introspectionPath: return introspect(form)
        default: return token(form, client: client, issuer: issuer)
        }
    }

    /// `http://HOST`: the origin the client reached the mock at.
    static func issuer(of request: MockRequest) -> String {
        "http://\(request.headers["Host"].first ?? "127.0.0.1")"
    }

    /// OpenID Connect Discovery 1.0 §3 and RFC 8414 §2.
    func metadata(issuer: String) -> JSONValue {
        var grants = ["client_credentials", "refresh_token"]
        if deviation == .grantNotListed { grants.removeLast() }
        func strings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }
        return .object([
            "issuer": .string(deviation == .issuerTrailingSlash ? issuer + "/" : issuer),
            "authorization_endpoint": .string(issuer + Self.authorizationPath),
            "token_endpoint": .string(issuer + Self.tokenPath),
            "jwks_uri": .string(issuer + Self.keySetPath),
            "revocation_endpoint": .string(issuer + Self.revocationPath),
            "introspection_endpoint": .string(issuer + Self.introspectionPath),
            "response_types_supported": strings(["code"]),
            "subject_types_supported": strings(["public"]),
            "id_token_signing_alg_values_supported": strings(["ES256", "RS256"]),
            "grant_types_supported": strings(grants),
            "scopes_supported": strings(Self.scopes.sorted()),
            "token_endpoint_auth_methods_supported": strings(Self.clientAuthMethods),
            "token_endpoint_auth_signing_alg_values_supported": strings(["HS256", "ES256", "RS256"]),
            "revocation_endpoint_auth_methods_supported": strings(Self.clientAuthMethods),
            "introspection_endpoint_auth_methods_supported": strings(Self.clientAuthMethods),
            "claims_supported": strings(["iss", "sub", "aud", "exp", "iat", "at_hash", "azp"]),
        ])
    }

    /// A failure answer carried out of a helper.
    struct Failure: Error {
        var response: MockResponse
    }

    func json(_ status: HTTPResponseStatus, _ body: JSONValue, headers: [(String, String)] = []) -> MockResponse {
        .full(
            status: status, contentType: "application/json;charset=UTF-8", body: body.encoded(),
            extraHeaders: headers)
    }

    func error(
        _ status: HTTPResponseStatus, _ code: String, _ description: String, headers: [(String, String)] = []
    ) -> MockResponse {
        json(
            status, .object(["error": .string(code), "error_description": .string(description)]),
            headers: headers + [("Cache-Control", "no-store"), ("Pragma", "no-cache")])
    }
}

extension MockCredentials {
    /// Stands for the mock's base URL in a credential's value until the mock has a port: a mock's credentials
    /// are made before it listens. ``resolvingBaseURL(_:)`` puts the real one in.
    static let baseURLMarker = "http://conform-mock.invalid"

    /// The credentials with ``baseURLMarker`` replaced by the listening mock's base URL.
    func resolvingBaseURL(_ baseURL: URL) -> MockCredentials {
        var resolved = self
        for index in resolved.entries.indices {
            resolved.entries[index].value = Self.resolvingBaseURL(resolved.entries[index].value, baseURL)
        }
        return resolved
    }

    static func resolvingBaseURL(_ value: String, _ baseURL: URL) -> String {
        guard value.hasPrefix(baseURLMarker) else { return value }
        var origin = baseURL.absoluteString
        while origin.hasSuffix("/") { origin.removeLast() }
        return origin + value.dropFirst(baseURLMarker.count)
    }
}
