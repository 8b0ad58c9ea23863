/// Pitchpoint's 200 body for `refreshIdToken` and `signInWithPassword` (`pitchpoint.token`).
///
/// `expires_in` is a JSON number: the docs say so, and a string (what the identity provider behind it
/// returns upstream) must fail.
struct PitchpointToken: ResponseModel, Equatable {
    var access_token: String
    var refresh_token: String
    var scope: String
    var token_type: String
    var expires_in: Double

    init(access_token: String, refresh_token: String, scope: String, token_type: String, expires_in: Double) {
        self.access_token = access_token
        self.refresh_token = refresh_token
        self.scope = scope
        self.token_type = token_type
        self.expires_in = expires_in
    }

    static let modelName = "pitchpoint.token"
    static let fields = [
        ModelField("access_token", .string), ModelField("refresh_token", .string), ModelField("scope", .string),
        ModelField("token_type", .string), ModelField("expires_in", .number),
    ]
}
