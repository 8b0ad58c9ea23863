import Foundation
import Testing

@testable import ConformJSON
@testable import ConformKit

@Suite struct JSONModelCheckTests {
    let token = JSONModelCheck(model: PitchpointToken.self)

    @Test func acceptsTheDocumentedBody() {
        #expect(messages(token, response(body: validTokenBody)).isEmpty)
    }

    @Test func namesAMissingField() {
        let body = validTokenBody.replacingOccurrences(of: #""scope": "policy","#, with: "")
        #expect(
            messages(token, response(body: body)) == [
                "failure: pitchpoint.token: scope: expected a string, got nothing (field missing)"
            ])
    }

    @Test func saysStringExpectedNumber() {
        let body = validTokenBody.replacingOccurrences(of: #""expires_in": 3600"#, with: #""expires_in": "3600""#)
        #expect(
            messages(token, response(body: body)) == [
                #"failure: pitchpoint.token: expires_in: expected a JSON number, got string "3600""#
            ])
    }

    @Test func reportsEveryStructuralProblem() {
        let body = #"{"access_token": 7, "refresh_token": null, "scope": "x", "token_type": "Bearer"}"#
        #expect(
            messages(token, response(body: body)) == [
                "failure: pitchpoint.token: access_token: expected a string, got number 7",
                "failure: pitchpoint.token: refresh_token: expected a string, got null",
                "failure: pitchpoint.token: expires_in: expected a JSON number, got nothing (field missing)",
            ])
    }

    @Test func callsABodyOfAnotherShapeSo() {
        #expect(
            messages(token, response(status: 400, body: #"{"error": "invalid_grant", "error_description": "x"}"#)) == [
                "failure: pitchpoint.token: a body of another shape: none of the documented fields (access_token, refresh_token, scope, token_type, expires_in) is present; it has error, error_description"
            ])
    }

    @Test func warnsAboutUnknownFields() {
        let body = validTokenBody.replacingOccurrences(of: "{", with: #"{"id_token": "x", "#)
        #expect(
            messages(token, response(body: body)) == [
                "warning: pitchpoint.token: unknown field 'id_token' (not in the documented model)"
            ])
    }

    @Test func saysWhatTheBodyIsWhenItIsNotJSON() {
        let html = response(status: 500, contentType: "text/html", body: "<html><body>Oops</body></html>")
        #expect(
            messages(JSONModelCheck(model: PitchpointError.self), html) == [
                #"failure: pitchpoint.error: expected a JSON body, got an HTML page (text/html): "<html><body>Oops</body></html>""#
            ])
        #expect(
            messages(JSONModelCheck(model: PitchpointError.self), response(body: "")) == [
                "failure: pitchpoint.error: expected a JSON body, got an empty body (application/json)"
            ])
    }

    @Test func walksNestedModels() {
        let body = #"{"Access_Token": {"Token": "t", "Expiration_date": 5, "Instance_Url": "https://x/"}}"#
        #expect(
            messages(JSONModelCheck(model: ConcurTokenJSON.self), response(body: body)) == [
                "failure: concur.token.json: Access_Token.Expiration_date: expected a string, got number 5"
            ])
    }

    /// The documented field table words the messages; it must list exactly what Codable encodes.
    @Test(arguments: [
        (
            PitchpointToken.self as any ResponseModel.Type,
            JSONValue.encodeModel(
                PitchpointToken(access_token: "a", refresh_token: "r", scope: "s", token_type: "Bearer", expires_in: 1))
        ),
        (PitchpointError.self, JSONValue.encodeModel(PitchpointError(error: "e", error_description: "d"))),
        (
            ConcurTokenJSON.self,
            JSONValue.encodeModel(
                ConcurTokenJSON(
                    Access_Token: .init(
                        Instance_Url: "https://x/", Token: "t", Expiration_date: "d", Refresh_Token: "r")))
        ),
        (
            ConcurErrorJSON.self,
            JSONValue.encodeModel(ConcurErrorJSON(Error: .init(Message: "m", Server_Time: "t", Id: "i")))
        ),
    ])
    func fieldTablesMatchCodable(model: any ResponseModel.Type, encoded: Data) throws {
        var paths: [String] = []
        func walk(_ value: JSONValue, _ prefix: String) {
            guard case .object(let members) = value else { return }
            for (key, member) in members {
                let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                paths.append(path)
                walk(member, path)
            }
        }
        walk(try #require(JSONValue.decode(encoded)), "")
        #expect(paths.sorted() == model.fields.map(\.path).sorted())
    }
}
