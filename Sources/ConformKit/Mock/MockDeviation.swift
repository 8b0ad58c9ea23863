/// The catalogue of deliberate deviations a mock can serve, so that conform's tests prove each check fires.
public enum MockDeviation: String, Sendable, CaseIterable {
    // Any vendor
    case html500 = "html-500"
    case wrongContentType = "wrong-content-type"
    case truncatedBody = "truncated-body"
    case slow
    case closeWithoutResponse = "close-without-response"
    // Pitchpoint
    case missingField = "missing-field"
    case expiresInString = "expires-in-string"
    case wrongTokenType = "wrong-token-type"
    case wrongErrorShape = "wrong-error-shape"
    case rotateRefreshToken = "rotate-refresh-token"
    // Concur
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

    /// The mocks that serve this deviation.
    public var mocks: [MockKind] {
        switch self {
        case .html500, .wrongContentType, .truncatedBody, .slow, .closeWithoutResponse: [.pitchpoint, .concur]
        case .missingField, .expiresInString, .wrongTokenType, .wrongErrorShape, .rotateRefreshToken: [.pitchpoint]
        default: [.concur]
        }
    }

    /// What the mock does, for `conform mock --list-deviations` and the README.
    public var summary: String {
        switch self {
        case .html500: "every request gets a 500 with an HTML error page"
        case .wrongContentType: "success bodies are sent as text/plain"
        case .truncatedBody: "success bodies announce more bytes than are sent, then the connection closes"
        case .slow: "every response waits 2.5 s (past the 2000 ms budget, within the 10 s timeout)"
        case .closeWithoutResponse: "token requests get the connection closed without a response"
        case .missingField: "success bodies lack \"scope\""
        case .expiresInString: "success bodies carry \"expires_in\": \"3600\" (a string)"
        case .wrongTokenType: "success bodies carry \"token_type\": \"mac\""
        case .wrongErrorShape: "error bodies are {\"message\": …} instead of error/error_description"
        case .rotateRefreshToken: "a refresh returns a new refresh token and revokes the one it used"
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
