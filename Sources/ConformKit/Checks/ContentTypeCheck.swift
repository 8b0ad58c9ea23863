/// The media type of `Content-Type` is one of the expected ones; parameters such as `charset` are allowed.
struct ContentTypeCheck: Check {
    var expected: [String]

    init(expected: [String]) {
        self.expected = expected
    }

    func evaluate(_ response: ResponseUnderTest) -> [Finding] {
        let wanted = expected.joined(separator: " or ")
        guard let mediaType = response.response.mediaType else {
            return [.failure(.contentType, "expected \(wanted), got no Content-Type header", expected: wanted)]
        }
        guard !expected.contains(mediaType) else { return [] }
        let full = response.response.header("Content-Type") ?? mediaType
        return [.failure(.contentType, "expected \(wanted), got \(full)", expected: wanted, actual: full)]
    }
}
