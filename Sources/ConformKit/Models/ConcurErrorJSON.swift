/// Concur's error with `Accept: application/json` (`concur.error.json`): `{"Error": {"Message": …}}`.
struct ConcurErrorJSON: ResponseModel, Equatable {
    struct ErrorBody: Codable, Sendable, Equatable {
        var Message: String
        var Server_Time: String?
        var Id: String?

        enum CodingKeys: String, CodingKey {
            case Message
            case Server_Time = "Server-Time"
            case Id
        }

        init(Message: String, Server_Time: String? = nil, Id: String? = nil) {
            self.Message = Message
            self.Server_Time = Server_Time
            self.Id = Id
        }
    }

    var Error: ErrorBody

    init(Error: ErrorBody) {
        self.Error = Error
    }

    static let modelName = "concur.error.json"
    static let fields = [
        ModelField("Error", .object), ModelField("Error.Message", .string),
        ModelField("Error.Server-Time", .string, required: false), ModelField("Error.Id", .string, required: false),
    ]
}
