import ConformJSON
import Foundation
import NIOConcurrencyHelpers
import NIOHTTP1

/// A strictly conformant OAuth 2.0 token endpoint (RFC 6749, Bearer tokens per RFC 6750, refresh token
/// rotation with reuse detection per RFC 9700), with deviations on demand.
///
/// - `POST /oauth/token`, form-encoded (§3.2, Appendix B); another method gets 405 with `Allow: POST`.
/// - Client authentication by HTTP Basic or by form fields, not both (§2.3.1); a failed Basic attempt gets
///   401 with `WWW-Authenticate: Basic` (§5.2), a failed attempt in the body 400 `invalid_client`.
/// - `client_credentials` (§4.4): a Bearer access token, `expires_in`, the granted scope; no refresh token
///   (§4.4.3). Scopes: `read` and `write` (§3.3).
/// - `refresh_token` (§6): a new refresh token each time; the one used stops working, and using it again
///   revokes every token of its family (RFC 9700 §4.14.2).
/// - Successes carry `Cache-Control: no-store` and `Pragma: no-cache` (§5.1); errors are JSON with an
///   `error` from the registry of §5.2 and an `error_description`.
final class OAuth2Mock: MockEndpoint {
    static let tokenPath = "/oauth/token"
    static let scopes: Set<String> = ["read", "write"]
    static let realm = "conform-mock"

    /// The mock's own deviations (the shared faults apply too).
    enum Deviation: String, CaseIterable {
        case errorAt200 = "error-at-200"
        case expiresInString = "expires-in-string"
        case missingTokenType = "missing-token-type"
        case scopeAsArray = "scope-as-array"
        case basicFailure400 = "basic-failure-400"
        case unregisteredErrorCode = "unregistered-error-code"
        case noStoreMissing = "no-store-missing"
        case htmlErrors = "html-errors"
        case challengeMissing = "401-without-challenge"

        var summary: String {
            switch self {
            case .errorAt200: "errors are sent with status 200"
            case .expiresInString: "success bodies carry \"expires_in\": \"3600\" (a string)"
            case .missingTokenType: "success bodies lack \"token_type\" (RFC 6749 §5.1)"
            case .scopeAsArray: "success bodies carry \"scope\" as a JSON array"
            case .basicFailure400: "a failed Basic authentication gets 400 without WWW-Authenticate (RFC 6749 §5.2)"
            case .unregisteredErrorCode: "errors use \"invalid_credentials\", outside the RFC 6749 §5.2 registry"
            case .noStoreMissing: "successes lack Cache-Control: no-store (RFC 6749 §5.1)"
            case .htmlErrors: "errors are HTML pages"
            case .challengeMissing:
                "a failed authentication in the body gets 401 without WWW-Authenticate (RFC 9110 §15.5.2)"
            }
        }
    }

    /// What a refresh does to the refresh token it used: conformant servers differ, and all of these are
    /// valid RFC 6749 (used by conform's own tests; the mock's default is the strictest).
    enum RefreshPolicy: Sendable {
        /// A new refresh token each time; replaying a used one revokes its family (RFC 9700 §4.14.2).
        case rotateWithReuseDetection
        /// A new refresh token each time; the used one is refused, its family stays.
        case rotate
        /// A new refresh token each time, and the used one keeps working: §6 lets the server keep it, RFC 9700
        /// §4.14.2 says to invalidate it (the profile warns).
        case rotateKeepingTheOld
        /// No new refresh token: the one used stays valid (§6 allows it).
        case keep
    }

    static let definition = MockDefinition(
        name: "oauth2", deviations: Deviation.allCases.map { MockDeviation($0.rawValue, $0.summary) },
        make: { OAuth2Mock(configuration: $0) })

    private struct RefreshToken {
        var family: Int
        var client: String
        var scope: String
        var used = false
    }

    private struct State {
        var tokens: [String: RefreshToken] = [:]
        var revokedFamilies: Set<Int> = []
        var nextFamily = 1
    }

    let credentials: MockCredentials
    /// A rotated refresh token stops working, unless the policy keeps it.
    var usesUpCredentials: Bool { policy != .keep }
    private let deviation: Deviation?
    private let policy: RefreshPolicy
    private let state: NIOLockedValueBox<State>

    init(configuration: MockConfiguration, refreshPolicy: RefreshPolicy = .rotateWithReuseDetection) {
        let clientID = MockTokens.random(8, prefix: "conform-mock-client-")
        let refreshToken = MockTokens.random(40, prefix: "rt-")
        credentials = MockCredentials(entries: [
            .init(name: "OAUTH2_CLIENT_ID", value: clientID, secret: false),
            .init(name: "OAUTH2_CLIENT_SECRET", value: MockTokens.random(32, prefix: "cs-"), secret: true),
            .init(name: "OAUTH2_REFRESH_TOKEN", value: refreshToken, secret: true),
            .init(name: "OAUTH2_SCOPE", value: "read", secret: false),
        ])
        deviation = configuration.deviation.flatMap(Deviation.init(rawValue:))
        policy = refreshPolicy
        state = NIOLockedValueBox(
            State(tokens: [refreshToken: RefreshToken(family: 0, client: clientID, scope: "read")]))
    }

    func respond(to request: MockRequest) -> MockResponse {
        guard request.path == Self.tokenPath else {
            return error(.notFound, "invalid_request", "no such endpoint: \(request.path)")
        }
        guard request.method == "POST" else {
            return error(
                .methodNotAllowed, "invalid_request", "the token endpoint takes POST (RFC 6749 §3.2)",
                headers: [("Allow", "POST")])
        }
        let contentType = request.headers["Content-Type"].first?.lowercased() ?? ""
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
            return error(.badRequest, "invalid_request", "the body must be application/x-www-form-urlencoded")
        }
        guard let form = Self.formFields(request.body) else {
            return error(.badRequest, "invalid_request", "a parameter is given more than once (RFC 6749 §3.2)")
        }
        let client: String
        switch authenticate(request, form) {
        case .success(let id): client = id
        case .failure(let failure): return failure.response
        }
        guard let grantType = form["grant_type"], !grantType.isEmpty else {
            return error(.badRequest, "invalid_request", "grant_type is missing")
        }
        switch grantType {
        case "client_credentials": return clientCredentials(form)
        case "refresh_token": return refresh(form, client: client)
        default: return error(.badRequest, "unsupported_grant_type", "the grant type is not supported")
        }
    }

    // MARK: Client authentication (§2.3.1)

    private func authenticate(_ request: MockRequest, _ form: [String: String]) -> Result<String, Failure> {
        let expectedID = credentials.value("OAUTH2_CLIENT_ID")
        let expectedSecret = credentials.value("OAUTH2_CLIENT_SECRET")
        let header = request.headers["Authorization"].first
        let inBody = form["client_secret"] != nil
        if header != nil && inBody {
            return .failure(Failure(error(.badRequest, "invalid_request", "use one client authentication method")))
        }
        if let header {
            guard let (id, secret) = Self.basicCredentials(header), id == expectedID, secret == expectedSecret else {
                if deviation == .basicFailure400 {
                    return .failure(Failure(error(.badRequest, "invalid_client", "client authentication failed")))
                }
                return .failure(
                    Failure(
                        error(
                            .unauthorized, "invalid_client", "client authentication failed",
                            headers: [("WWW-Authenticate", "Basic realm=\"\(Self.realm)\"")])))
            }
            return .success(id)
        }
        guard let id = form["client_id"], let secret = form["client_secret"] else {
            return .failure(
                Failure(
                    error(
                        .unauthorized, "invalid_client", "the client did not authenticate",
                        headers: [("WWW-Authenticate", "Basic realm=\"\(Self.realm)\"")])))
        }
        guard id == expectedID, secret == expectedSecret else {
            let status: HTTPResponseStatus = deviation == .challengeMissing ? .unauthorized : .badRequest
            return .failure(Failure(error(status, "invalid_client", "client authentication failed")))
        }
        return .success(id)
    }

    /// `Basic base64(form-encoded id ":" form-encoded secret)`, decoded.
    static func basicCredentials(_ header: String) -> (String, String)? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic", let data = Data(base64Encoded: String(parts[1])),
            let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return nil }
        guard let id = formDecoded(text[..<colon]), let secret = formDecoded(text[text.index(after: colon)...]) else {
            return nil
        }
        return (id, secret)
    }

    // MARK: Grants

    private func clientCredentials(_ form: [String: String]) -> MockResponse {
        var scope: String?
        if let requested = form["scope"] {
            let scopes = Set(requested.split(separator: " ").map(String.init))
            guard !scopes.isEmpty, scopes.isSubset(of: Self.scopes) else {
                return error(.badRequest, "invalid_scope", "the requested scope is not allowed")
            }
            scope = requested
        }
        return success(scope: scope, refreshToken: nil)
    }

    private func refresh(_ form: [String: String], client: String) -> MockResponse {
        guard let presented = form["refresh_token"], !presented.isEmpty else {
            return error(.badRequest, "invalid_request", "refresh_token is missing")
        }
        let outcome = state.withLockedValue { state -> Result<(String, String?), Failure> in
            guard var token = state.tokens[presented], token.client == client,
                !state.revokedFamilies.contains(token.family)
            else {
                return .failure(Failure(error(.badRequest, "invalid_grant", "the refresh token is not valid")))
            }
            if token.used {
                if policy == .rotateWithReuseDetection { state.revokedFamilies.insert(token.family) }
                return .failure(Failure(error(.badRequest, "invalid_grant", "the refresh token was already used")))
            }
            guard policy != .keep else { return .success((token.scope, nil)) }
            if policy != .rotateKeepingTheOld {
                token.used = true
                state.tokens[presented] = token
            }
            let next = MockTokens.random(40, prefix: "rt-")
            state.tokens[next] = RefreshToken(family: token.family, client: client, scope: token.scope)
            return .success((token.scope, next))
        }
        switch outcome {
        case .success(let (scope, next)): return success(scope: scope, refreshToken: next)
        case .failure(let failure): return failure.response
        }
    }

    // MARK: Answers

    private func success(scope: String?, refreshToken: String?) -> MockResponse {
        var body: [String: JSONValue] = [
            "access_token": .string(MockTokens.random(43, prefix: "at-")), "token_type": .string("Bearer"),
            "expires_in": .number(3600),
        ]
        if let scope { body["scope"] = .string(scope) }
        if let refreshToken { body["refresh_token"] = .string(refreshToken) }
        switch deviation {
        case .expiresInString: body["expires_in"] = .string("3600")
        case .missingTokenType: body["token_type"] = nil
        case .scopeAsArray: body["scope"] = .array((scope ?? "read").split(separator: " ").map { .string(String($0)) })
        default: break
        }
        var headers = [("Pragma", "no-cache")]
        if deviation != .noStoreMissing { headers.insert(("Cache-Control", "no-store"), at: 0) }
        return .full(
            status: .ok, contentType: "application/json;charset=UTF-8", body: JSONValue.object(body).encoded(),
            extraHeaders: headers)
    }

    private struct Failure: Error {
        var response: MockResponse
        init(_ response: MockResponse) { self.response = response }
    }

    private func error(
        _ status: HTTPResponseStatus, _ code: String, _ description: String, headers: [(String, String)] = []
    ) -> MockResponse {
        if deviation == .htmlErrors {
            let page = "<!DOCTYPE html><html><body><h1>\(status.code) \(status.reasonPhrase)</h1></body></html>\n"
            return .full(status: status, contentType: "text/html; charset=utf-8", body: Data(page.utf8))
        }
        let error = deviation == .unregisteredErrorCode ? "invalid_credentials" : code
        let body = JSONValue.object(["error": .string(error), "error_description": .string(description)])
        return .full(
            status: deviation == .errorAt200 ? .ok : status, contentType: "application/json;charset=UTF-8",
            body: body.encoded(), extraHeaders: headers + [("Cache-Control", "no-store"), ("Pragma", "no-cache")])
    }

    // MARK: Form encoding (Appendix B)

    /// The fields of a form body; `nil` when one is given twice (§3.2).
    static func formFields(_ body: Data) -> [String: String]? {
        var fields: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = formDecoded(parts[0]), let value = formDecoded(parts.count > 1 ? parts[1] : "") else {
                continue
            }
            guard fields[name] == nil else { return nil }
            fields[name] = value
        }
        return fields
    }

    static func formDecoded(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
