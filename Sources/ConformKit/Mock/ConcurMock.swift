import ConformJSON
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
final class ConcurMock: MockEndpoint {
    static let path = "/net2/oauth2/getaccesstoken.ashx"

    /// Concur's own deviations (the shared faults apply too).
    enum Deviation: String, CaseIterable {
        case instanceURLCasing = "instance-url-casing"
        case expirationDateCasing = "expiration-date-casing"
        case wrongRoot = "wrong-root"
        case missingToken = "missing-token"
        case unparseableDate = "unparseable-date"
        case expiredDate = "expired-date"
        case jsonInsteadOfXML = "json-instead-of-xml"
        case errorWith200 = "error-with-200"
        case externalEntity = "external-entity"
        case entityBomb = "entity-bomb"
        case hugeBody = "huge-body"
        case invalidUTF8 = "invalid-utf8"
        case truncatedDocument = "truncated-document"

        var summary: String {
            switch self {
            case .instanceURLCasing: "the success document spells <Instance_URL>"
            case .expirationDateCasing: "the success document spells <Expiration_Date>"
            case .wrongRoot: "the success document's root is <AccessToken>"
            case .missingToken: "the success document has no <Token>"
            case .unparseableDate: "<Expiration_date> is 2027-06-01T08:00:00Z"
            case .expiredDate: "<Expiration_date> lies in the past"
            case .jsonInsteadOfXML: "the success body is JSON although XML was asked for"
            case .errorWith200: "valid credentials get 200 with an <Error> document"
            case .externalEntity: "the success document declares an external entity pointing at a local file"
            case .entityBomb: "the success document is an entity-expansion bomb (billion laughs)"
            case .hugeBody: "the success document is 10 MiB long"
            case .invalidUTF8: "the success document holds bytes that are not UTF-8"
            case .truncatedDocument: "the success document stops in the middle (complete HTTP, incomplete XML)"
            }
        }
    }

    static let definition = MockDefinition(
        name: "concur", deviations: Deviation.allCases.map { MockDeviation($0.rawValue, $0.summary) },
        make: { ConcurMock(configuration: $0) })

    let credentials: MockCredentials
    /// The legacy refresh hands back the refresh token it was given: nothing is used up.
    var usesUpCredentials: Bool { false }
    private let configuration: MockConfiguration
    private let deviation: Deviation?

    init(configuration: MockConfiguration) {
        credentials = MockCredentials(entries: [
            .init(name: "CONCUR_CLIENT_ID", value: MockTokens.random(8, prefix: "mock-client-"), secret: false),
            .init(name: "CONCUR_CLIENT_SECRET", value: MockTokens.random(32, prefix: "cs-"), secret: true),
            .init(name: "CONCUR_REFRESH_TOKEN", value: MockTokens.random(40, prefix: "rt-"), secret: true),
        ])
        self.configuration = configuration
        self.deviation = configuration.deviation.flatMap(Deviation.init(rawValue:))
    }

    func respond(to request: MockRequest) -> MockResponse {
        guard request.path == Self.path else { return error(.notFound, "No such endpoint: \(request.path)", request) }
        guard request.method == "GET" else { return error(.methodNotAllowed, "Use GET.", request) }
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
        if deviation == .errorWith200 {
            return .full(
                status: .ok, contentType: ConcurDocuments.xmlType,
                body: ConcurDocuments.error("Invalid token payload.", now: configuration.now()))
        }
        return success(request)
    }

    private func success(_ request: MockRequest) -> MockResponse {
        let token = MockTokens.random(28, prefix: "0_")
        let expiration = ConcurDocuments.expirationDate(for: deviation, now: configuration.now())
        if request.acceptsJSON || deviation == .jsonInsteadOfXML {
            let model = ConcurTokenJSON(
                Access_Token: .init(
                    Instance_Url: ConcurDocuments.instanceURL, Token: token, Expiration_date: expiration,
                    Refresh_Token: nil))
            return .full(
                status: .ok, contentType: "application/json; charset=utf-8",
                body: ConcurDocuments.padded(JSONValue.encodeModel(model), for: expiration))
        }
        let document = ConcurDocuments.accessToken(
            token: token, expiration: expiration, deviation: deviation,
            externalEntityTarget: configuration.externalEntityTarget)
        switch deviation {
        case .truncatedDocument:
            return .full(
                status: .ok, contentType: ConcurDocuments.xmlType, body: ConcurDocuments.truncated(document))
        default:
            return .full(status: .ok, contentType: ConcurDocuments.xmlType, body: document)
        }
    }

    private func error(_ status: HTTPResponseStatus, _ message: String, _ request: MockRequest) -> MockResponse {
        if request.acceptsJSON {
            let model = ConcurErrorJSON(
                Error: .init(
                    Message: message, Server_Time: ConcurDocuments.serverTime(configuration.now()),
                    Id: ConcurDocuments.errorID()))
            return .full(
                status: status, contentType: "application/json; charset=utf-8", body: JSONValue.encodeModel(model))
        }
        return .full(
            status: status, contentType: ConcurDocuments.xmlType,
            body: ConcurDocuments.error(message, now: configuration.now()))
    }
}
