/// The body is JSON valid under a JSON Schema (draft 2020-12, ``JSONSchema``): each violation names the
/// field's path and what the keyword wanted, `rfc6749.token: expires_in: expected integer, got string
/// "3600"`. A `format` that does not hold is a warning (2020-12 makes formats annotations).
struct JSONSchemaCheck: Check {
    var body: CompiledJSONBody

    init(body: CompiledJSONBody) {
        self.body = body
    }

    func evaluate(_ response: ResponseUnderTest) -> [Finding] {
        let name = body.name
        switch response.document {
        case .json:
            return response.violations(of: body.schema).map { violation in
                violation.isAnnotation
                    ? .warning(
                        .bodySchema, "\(name): \(violation.description) (format is an annotation)",
                        location: .field(violation.instancePath), expected: violation.keyword)
                    : .failure(
                        .bodySchema, "\(name): \(violation.description)", location: .field(violation.instancePath),
                        expected: violation.keyword)
            }
        case .unreadable(let reason):
            return [.failure(.bodySchema, "\(name): \(reason)")]
        case .xml, .none:
            return [
                .failure(.bodySchema, "\(name): expected a JSON body, got \(BodySniffer.describe(response.response))")
            ]
        }
    }
}
