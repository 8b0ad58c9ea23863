/// Concur's error with `Accept: application/json` (`concur.error.json`): `{"Error": {"Message": …}}`.
public struct ConcurErrorJSON: ResponseModel, Equatable {
    public struct ErrorBody: Codable, Sendable, Equatable {
        public var Message: String
        public var Server_Time: String?
        public var Id: String?

        enum CodingKeys: String, CodingKey {
            case Message
            case Server_Time = "Server-Time"
            case Id
        }

        public init(Message: String, Server_Time: String? = nil, Id: String? = nil) {
            self.Message = Message
            self.Server_Time = Server_Time
            self.Id = Id
        }
    }

    public var Error: ErrorBody

    public init(Error: ErrorBody) {
        self.Error = Error
    }

    public static let modelName = "concur.error.json"
    public static let fields = [
        ModelField("Error", .object), ModelField("Error.Message", .string),
        ModelField("Error.Server-Time", .string, required: false), ModelField("Error.Id", .string, required: false),
    ]
}
