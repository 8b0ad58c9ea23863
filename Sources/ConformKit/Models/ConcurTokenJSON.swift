/// Concur's legacy refresh answer with `Accept: application/json` (`concur.token.json`):
/// `{"Access_Token": {…}}` with the XML element names. Undocumented; seen in client code.
package struct ConcurTokenJSON: ResponseModel, Equatable {
    package struct AccessToken: Codable, Sendable, Equatable {
        var Instance_Url: String?
        package var Token: String
        var Expiration_date: String
        var Refresh_Token: String?

        package init(Instance_Url: String?, Token: String, Expiration_date: String, Refresh_Token: String?) {
            self.Instance_Url = Instance_Url
            self.Token = Token
            self.Expiration_date = Expiration_date
            self.Refresh_Token = Refresh_Token
        }
    }

    package var Access_Token: AccessToken

    package init(Access_Token: AccessToken) {
        self.Access_Token = Access_Token
    }

    package static let modelName = "concur.token.json"
    package static let fields = [
        ModelField("Access_Token", .object), ModelField("Access_Token.Instance_Url", .string, required: false),
        ModelField("Access_Token.Token", .string), ModelField("Access_Token.Expiration_date", .string),
        ModelField("Access_Token.Refresh_Token", .string, required: false),
    ]
}
