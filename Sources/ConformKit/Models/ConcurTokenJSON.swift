/// Concur's legacy refresh answer with `Accept: application/json` (`concur.token.json`):
/// `{"Access_Token": {…}}` with the XML element names. Undocumented; seen in client code.
struct ConcurTokenJSON: ResponseModel, Equatable {
    struct AccessToken: Codable, Sendable, Equatable {
        var Instance_Url: String?
        var Token: String
        var Expiration_date: String
        var Refresh_Token: String?

        init(Instance_Url: String?, Token: String, Expiration_date: String, Refresh_Token: String?) {
            self.Instance_Url = Instance_Url
            self.Token = Token
            self.Expiration_date = Expiration_date
            self.Refresh_Token = Refresh_Token
        }
    }

    var Access_Token: AccessToken

    init(Access_Token: AccessToken) {
        self.Access_Token = Access_Token
    }

    static let modelName = "concur.token.json"
    static let fields = [
        ModelField("Access_Token", .object), ModelField("Access_Token.Instance_Url", .string, required: false),
        ModelField("Access_Token.Token", .string), ModelField("Access_Token.Expiration_date", .string),
        ModelField("Access_Token.Refresh_Token", .string, required: false),
    ]
}
