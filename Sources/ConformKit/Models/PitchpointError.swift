/// Pitchpoint's 400/403 body (`pitchpoint.error`): `{"error": …, "error_description": …}`.
public struct PitchpointError: ResponseModel, Equatable {
    public var error: String
    public var error_description: String

    public init(error: String, error_description: String) {
        self.error = error
        self.error_description = error_description
    }

    public static let modelName = "pitchpoint.error"
    public static let fields = [ModelField("error", .string), ModelField("error_description", .string)]
}
