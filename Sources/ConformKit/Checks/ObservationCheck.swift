import ConformSupport

/// Reports, as a note, whether a field equals a value sent earlier: whether a refresh token was rotated.
struct ObservationCheck: Check {
    var path: FieldPath
    var reference: Template
    var resolved: String?

    init(path: FieldPath, reference: Template, resolved: String?) {
        self.path = path
        self.reference = reference
        self.resolved = resolved
    }

    func evaluate(_ response: ResponseUnderTest) -> [Finding] {
        guard let resolved else {
            return [.note(.report, "\(path): nothing to compare, \(reference.source) has no value")]
        }
        guard let value = response.document.field(at: path)?.text else {
            return [.note(.report, "\(path): not in the response, nothing to compare with \(reference.source)")]
        }
        if value == resolved {
            return [.note(.report, "\(path): same value as \(reference.source)")]
        }
        return [.note(.report, "\(path): a different value from \(reference.source)")]
    }
}
