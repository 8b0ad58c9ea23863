/// Pitchpoint's 400/403 body (`pitchpoint.error`): `{"error": …, "error_description": …}`.
package struct PitchpointError: ResponseModel, Equatable {
    package var error: String
    var error_description: String

    package init(error: String, error_description: String) {
        self.error = error
        self.error_description = error_description
    }

    package static let modelName = "pitchpoint.error"
    package static let fields = [ModelField("error", .string), ModelField("error_description", .string)]
}
