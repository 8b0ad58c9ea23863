/// Pitchpoint's 400/403 body (`pitchpoint.error`): `{"error": …, "error_description": …}`.
struct PitchpointError: ResponseModel, Equatable {
    var error: String
    var error_description: String

    init(error: String, error_description: String) {
        self.error = error
        self.error_description = error_description
    }

    static let modelName = "pitchpoint.error"
    static let fields = [ModelField("error", .string), ModelField("error_description", .string)]
}
