import ConformJSON
import Foundation
import NIOConcurrencyHelpers
import NIOHTTP1

/// Pitchpoint's token endpoints as documented (seed page and vendor notes), with deviations on demand.
///
/// - `POST …/refreshIdToken` `{"refresh_token": …}` and `POST …/signInWithPassword`
///   `{"username": …, "password": …}` answer 200 with `pitchpoint.token`.
/// - Refresh tokens are reused, not rotated: a refresh returns the token it was given, which stays valid.
/// - A body that is not JSON, a missing or empty field: 400 `invalid_request`; an unknown refresh token:
///   400 `invalid_grant`; a wrong password: 403 `access_denied` (the docs' own example).
/// - Like the real service, no `Cache-Control: no-store` (RFC 6749 asks for it; the docs do not promise it).
/// - Refresh "returns marginally faster than the sign-in process" (the docs): sign-in takes 3 ms more.
/// - Access tokens are real RS256 JWTs (``MockTokens/jwt(subject:lifetime:now:flaw:)``) issued at the
///   injected clock's time, which the success's `Date` header states; their key set is served at
///   ``keySetPath``, whose path the mock's credentials give as `PITCHPOINT_JWKS_URL`.
final class PitchpointMock: MockEndpoint {
    static let refreshPath = "/user-management-services-ws/oauth2/002/refreshIdToken"
    static let signInPath = "/user-management-services-ws/oauth2/002/signInWithPassword"
    /// Where the access tokens' public keys are published (Google's path for the secure token service).
    static let keySetPath = "/service_accounts/v1/jwk/securetoken@system.gserviceaccount.com"

    /// Pitchpoint's own deviations (the shared faults apply too).
    enum Deviation: String, CaseIterable {
        case missingField = "missing-field"
        case expiresInString = "expires-in-string"
        case wrongTokenType = "wrong-token-type"
        case wrongErrorShape = "wrong-error-shape"
        case rotateRefreshToken = "rotate-refresh-token"
        case jwtExpired = "jwt-expired"
        case jwtLifetimeMismatch = "jwt-lifetime-mismatch"
        case jwtBadSignature = "jwt-bad-signature"
        case jwtAlgNone = "jwt-alg-none"

        var summary: String {
            switch self {
            case .missingField: "success bodies lack \"scope\""
            case .expiresInString: "success bodies carry \"expires_in\": \"3600\" (a string)"
            case .wrongTokenType: "success bodies carry \"token_type\": \"mac\""
            case .wrongErrorShape: "error bodies are {\"message\": …} instead of error/error_description"
            case .rotateRefreshToken: "a refresh returns a new refresh token and revokes the one it used"
            case .jwtExpired: "access tokens were issued two hours ago: exp is an hour before the response's Date"
            case .jwtLifetimeMismatch:
                "access tokens live 4 s (exp - iat), as in the docs' sample, while expires_in says 3600"
            case .jwtBadSignature: "access tokens carry an RS256 signature that does not verify with the published JWKS"
            case .jwtAlgNone: "access tokens are unsigned (alg \"none\")"
            }
        }

        var jwtFlaw: MockTokens.JWTFlaw? {
            switch self {
            case .jwtExpired: .expired
            case .jwtLifetimeMismatch: .shortLifetime
            case .jwtBadSignature: .badSignature
            case .jwtAlgNone: .unsigned
            default: nil
            }
        }
    }

    static let definition = MockDefinition(
        name: "pitchpoint", deviations: Deviation.allCases.map { MockDeviation($0.rawValue, $0.summary) },
        make: { PitchpointMock(configuration: $0) })

    let credentials: MockCredentials
    /// Refresh tokens are reused by contract; only the rotation deviation revokes them.
    var usesUpCredentials: Bool { deviation == .rotateRefreshToken }
    private let deviation: Deviation?
    private let now: @Sendable () -> Date
    /// Refresh tokens that are currently valid; rotation (a deviation) replaces them.
    private let validRefreshTokens: NIOLockedValueBox<Set<String>>

    init(configuration: MockConfiguration) {
        let refreshToken = MockTokens.random(64, prefix: "AMf-")
        credentials = MockCredentials(entries: [
            .init(name: "PITCHPOINT_REFRESH_TOKEN", value: refreshToken, secret: true),
            .init(name: "PITCHPOINT_USERNAME", value: "conform.mock@example.com", secret: false),
            .init(name: "PITCHPOINT_PASSWORD", value: MockTokens.random(24, prefix: "pw-"), secret: true),
            .init(name: "PITCHPOINT_JWKS_URL", value: Self.keySetPath, secret: false),
        ])
        self.deviation = configuration.deviation.flatMap(Deviation.init(rawValue:))
        self.now = configuration.now
        self.validRefreshTokens = NIOLockedValueBox([refreshToken])
    }

    /// Sign-in checks a password; the docs say refresh is marginally faster.
    static let signInProcessingTime = Duration.milliseconds(3)

    func processingTime(for request: MockRequest) -> Duration {
        request.path == Self.signInPath ? Self.signInProcessingTime : .zero
    }

    func respond(to request: MockRequest) -> MockResponse {
        if request.path == Self.keySetPath, request.method == "GET" {
            return .full(
                status: .ok, contentType: "application/json; charset=utf-8", body: MockSigningKey.keySet.encoded())
        }
        guard request.path == Self.refreshPath || request.path == Self.signInPath else {
            return error(.notFound, "not_found", "no such endpoint: \(request.path)")
        }
        guard request.method == "POST" else {
            return error(.methodNotAllowed, "invalid_request", "use POST")
        }
        guard case .object(let fields)? = JSONValue.decode(request.body) else {
            return error(.badRequest, "invalid_request", "the request body is not a JSON object")
        }
        return request.path == Self.refreshPath ? refresh(fields) : signIn(fields)
    }

    private func refresh(_ fields: [String: JSONValue]) -> MockResponse {
        guard case .string(let token)? = fields["refresh_token"] else {
            return error(.badRequest, "invalid_request", "refresh_token is required")
        }
        guard !token.isEmpty else { return error(.badRequest, "invalid_request", "refresh_token is empty") }
        let valid = validRefreshTokens.withLockedValue { $0.contains(token) }
        guard valid else { return error(.badRequest, "invalid_grant", "The refresh token is invalid or expired") }
        var next = token
        if deviation == .rotateRefreshToken {
            next = MockTokens.random(64, prefix: "AMf-")
            validRefreshTokens.withLockedValue {
                $0.remove(token)
                $0.insert(next)
            }
        }
        return success(refreshToken: next)
    }

    private func signIn(_ fields: [String: JSONValue]) -> MockResponse {
        guard case .string(let username)? = fields["username"], case .string(let password)? = fields["password"],
            !username.isEmpty, !password.isEmpty
        else { return error(.badRequest, "invalid_request", "username and password are required") }
        guard username == credentials.value("PITCHPOINT_USERNAME"), password == credentials.value("PITCHPOINT_PASSWORD")
        else {
            return error(.forbidden, "access_denied", "Invalid username / password combination")
        }
        let token = validRefreshTokens.withLockedValue { $0.first } ?? credentials.value("PITCHPOINT_REFRESH_TOKEN")
        return success(refreshToken: token)
    }

    private func success(refreshToken: String) -> MockResponse {
        let issued = now()
        let token = PitchpointToken(
            access_token: MockTokens.jwt(
                subject: "conform-mock-user", lifetime: 3600, now: issued, flaw: deviation?.jwtFlaw),
            refresh_token: refreshToken,
            scope: "policy", token_type: "Bearer", expires_in: 3600)
        guard case .object(var body)? = JSONValue.decode(JSONValue.encodeModel(token)) else {
            return error(.internalServerError, "server_error", "mock could not encode its token")
        }
        switch deviation {
        case .missingField: body["scope"] = nil
        case .expiresInString: body["expires_in"] = .string("3600")
        case .wrongTokenType: body["token_type"] = .string("mac")
        default: break
        }
        // The Date the token's times are judged against, as the real service sends it.
        return .full(
            status: .ok, contentType: "application/json; charset=utf-8", body: JSONValue.object(body).encoded(),
            extraHeaders: [("Date", HTTPDate.format(issued))])
    }

    private func error(_ status: HTTPResponseStatus, _ code: String, _ description: String) -> MockResponse {
        let body: JSONValue
        if deviation == .wrongErrorShape {
            body = .object(["message": .string(description), "status": .number(Double(status.code))])
        } else {
            body =
                JSONValue.decode(JSONValue.encodeModel(PitchpointError(error: code, error_description: description)))
                ?? .null
        }
        return .full(status: status, contentType: "application/json; charset=utf-8", body: body.encoded())
    }
}

/// Pages shared by the mocks.
enum MockPages {
    static let html500 = MockResponse.full(
        status: .internalServerError, contentType: "text/html; charset=utf-8",
        body: Data(
            "<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>\n"
                .utf8))
}

extension JSONValue {
    /// Encodes a model with `JSONEncoder` (sorted keys), for the mocks.
    static func encodeModel(_ model: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(model)) ?? Data()
    }
}
