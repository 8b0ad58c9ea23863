import Foundation
import NIOHTTP1

/// SAP Concur's legacy refresh (`GET /net2/oauth2/getaccesstoken.ashx`) as the vendor notes describe it.
///
/// - Credentials in the query: `refresh_token`, `client_id`, `client_secret`, all required.
/// - Success: 200 XML `<Access_Token>` with `Token`, `Expiration_date` (one year ahead, `M/d/yyyy h:mm:ss a`
///   UTC) and `Instance_Url`, in an order other than the docs' data model, and no `Refresh_Token` (the
///   SDKs: a refresh keeps the token it was given). With `Accept: application/json`, `{"Access_Token": {…}}`.
/// - Errors: an `<Error>` document with `Message`, `Server-Time` and `Id`; 400 for a missing parameter,
///   401 for an unknown client id or a wrong secret, 403 for a refresh token that is not valid.
public final class ConcurMock: MockEndpoint {
    public static let path = "/net2/oauth2/getaccesstoken.ashx"

    public let credentials: MockCredentials
    private let configuration: MockConfiguration

    public init(configuration: MockConfiguration) {
        credentials = MockCredentials(entries: [
            .init(name: "CONCUR_CLIENT_ID", value: MockTokens.random(8, prefix: "mock-client-"), secret: false),
            .init(name: "CONCUR_CLIENT_SECRET", value: MockTokens.random(32, prefix: "cs-"), secret: true),
            .init(name: "CONCUR_REFRESH_TOKEN", value: MockTokens.random(40, prefix: "rt-"), secret: true),
        ])
        self.configuration = configuration
    }

    public func respond(to request: MockRequest) -> MockResponse {
        if configuration.deviation == .html500 { return MockPages.html500 }
        guard request.path == Self.path else { return error(.notFound, "No such endpoint: \(request.path)", request) }
        guard request.method == "GET" else { return error(.methodNotAllowed, "Use GET.", request) }
        if configuration.deviation == .closeWithoutResponse { return .closeWithoutResponse }
        for name in ["refresh_token", "client_id", "client_secret"] where (request.query[name] ?? "").isEmpty {
            return error(.badRequest, "Missing required parameter: \(name)", request)
        }
        guard request.query["client_id"] == credentials.value("CONCUR_CLIENT_ID") else {
            return error(.unauthorized, "Invalid client id.", request)
        }
        guard request.query["client_secret"] == credentials.value("CONCUR_CLIENT_SECRET") else {
            return error(.unauthorized, "Invalid client secret.", request)
        }
        guard request.query["refresh_token"] == credentials.value("CONCUR_REFRESH_TOKEN") else {
            return error(.forbidden, "Refresh token is expired or revoked.", request)
        }
        if configuration.deviation == .errorWith200 {
            return .full(
                status: .ok, contentType: ConcurDocuments.xmlType, body: ConcurDocuments.error("Invalid token payload.")
            )
        }
        return success(request)
    }

    private func success(_ request: MockRequest) -> MockResponse {
        let token = MockTokens.random(28, prefix: "0_")
        let expiration = ConcurDocuments.expirationDate(for: configuration.deviation)
        if request.acceptsJSON || configuration.deviation == .jsonInsteadOfXML {
            let model = ConcurTokenJSON(
                Access_Token: .init(
                    Instance_Url: ConcurDocuments.instanceURL, Token: token, Expiration_date: expiration,
                    Refresh_Token: nil))
            return .full(
                status: .ok, contentType: "application/json; charset=utf-8", body: JSONValue.encodeModel(model))
        }
        let document = ConcurDocuments.accessToken(
            token: token, expiration: expiration, deviation: configuration.deviation,
            externalEntityTarget: configuration.externalEntityTarget)
        switch configuration.deviation {
        case .wrongContentType:
            return .full(status: .ok, contentType: "text/plain; charset=utf-8", body: document)
        case .truncatedBody:
            return .truncated(
                status: .ok, contentType: ConcurDocuments.xmlType, body: document.prefix(document.count / 2),
                declaredLength: document.count)
        case .truncatedDocument:
            return .full(
                status: .ok, contentType: ConcurDocuments.xmlType, body: document.prefix(document.count * 3 / 5))
        default:
            return .full(status: .ok, contentType: ConcurDocuments.xmlType, body: document)
        }
    }

    private func error(_ status: HTTPResponseStatus, _ message: String, _ request: MockRequest) -> MockResponse {
        if request.acceptsJSON {
            let model = ConcurErrorJSON(
                Error: .init(Message: message, Server_Time: ConcurDocuments.serverTime(), Id: ConcurDocuments.errorID())
            )
            return .full(
                status: status, contentType: "application/json; charset=utf-8", body: JSONValue.encodeModel(model))
        }
        return .full(status: status, contentType: ConcurDocuments.xmlType, body: ConcurDocuments.error(message))
    }
}
