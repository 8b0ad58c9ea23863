import ConformJSON
import ConformSupport
/// What every answer to a client that authenticated must show, whatever the case expects (added to each
/// case with `client_auth`):
///
/// - a 401 carries a `WWW-Authenticate` challenge (RFC 9110 §15.5.2: the server "MUST send a
///   WWW-Authenticate header field containing at least one challenge");
/// - a client that sent HTTP Basic credentials and is refused with `invalid_client` gets 401 and a challenge
///   with the Basic scheme (RFC 6749 §5.2: "the authorization server MUST respond with an HTTP 401 … and
///   include the WWW-Authenticate response header field matching the authentication method used").
struct ClientAuthenticationCheck: Check {
    /// The case sent `Authorization: Basic`.
    var sentBasic: Bool

    func evaluate(_ subject: ResponseUnderTest) -> [Finding] {
        let response = subject.response
        let challenge = response.headerList("WWW-Authenticate")
        if response.status == 401, challenge == nil || challenge?.allSatisfy(\.isWhitespace) == true {
            return [.failure(Self.name, Self.noChallenge)]
        }
        guard sentBasic, [400, 401].contains(response.status) else { return [] }
        let document =
            subject.document.field(at: Self.error) == nil
            ? ResponseDocument.decode(response, as: .json) : subject.document
        guard case .json(.string("invalid_client"))? = document.field(at: Self.error) else { return [] }
        if response.status != 401 { return [.failure(Self.name, Self.basicNot401(response.status))] }
        let schemes = (challenge ?? "").split(separator: ",").compactMap { part -> Substring? in
            let words = part.split(separator: " ", omittingEmptySubsequences: true)
            guard let first = words.first, !first.contains("=") else { return nil }
            return first
        }
        guard !schemes.contains(where: { ASCII.equalsIgnoringCase(String($0), "Basic") }) else { return [] }
        return [.failure(Self.name, Self.basicWithoutBasicChallenge(challenge ?? ""))]
    }

    static let name = CheckID.clientAuthChallenge
    static let error = FieldPath(components: [.key("error")])

    static let noChallenge =
        "status 401 without a WWW-Authenticate challenge (RFC 9110 §15.5.2: a 401 response must send one)"

    static func basicNot401(_ status: Int) -> String {
        "invalid_client for a client that sent HTTP Basic credentials: expected status 401, got \(status) (RFC 6749 §5.2)"
    }

    static func basicWithoutBasicChallenge(_ challenge: String) -> String {
        "invalid_client for a client that sent HTTP Basic credentials: expected a WWW-Authenticate challenge with the \"Basic\" scheme, got \(JSONValue.quoted(BodyExcerpt.line(challenge, limit: 200))) (RFC 6749 §5.2)"
    }
}
