import ConformJSON
import ConformXML

/// The body is an XML document valid under the case's XSD (validated with libxml2).
///
/// The root element decides success or error whatever the status code: a success case whose body is the
/// vendor's `<Error>` fails and quotes its message. A name that differs from the schema's only in case
/// (`Instance_URL` for `Instance_Url`) is called out as wrong casing.
struct XMLBodyCheck: Check {
    var expectation: CompiledXMLBody

    init(expectation: CompiledXMLBody) {
        self.expectation = expectation
    }

    func evaluate(_ response: ResponseUnderTest) -> [Finding] {
        switch response.document {
        case .unreadable(let reason):
            return [.failure(.bodyXMLSchema, reason)]
        case .json, .none:
            return [
                .failure(.bodyXMLSchema, "expected an XML document, got \(BodySniffer.describe(response.response))")
            ]
        case .xml(let summary):
            if let errorRoot = expectation.errorRoot, summary.rootName == errorRoot {
                let message =
                    expectation.errorMessageElement.flatMap { summary.child(named: $0)?.text }
                    .map { ": \(expectation.errorMessageElement!): \(JSONValue.quoted($0))" } ?? ""
                return [
                    .failure(
                        .bodyXMLSchema,
                        "the response is an <\(errorRoot)> document (status \(response.response.status)), not the success document\(message)"
                    )
                ]
            }
            let declared = expectation.schema.declaredElementNames
            return summary.validityErrors.map {
                .failure(
                    .bodyXMLSchema, Self.describe($0, declared: declared),
                    location: $0.line > 0 ? .xml(line: $0.line, element: $0.element ?? "") : .none)
            }
        }
    }

    /// libxml2's message, plus a casing hint when the element differs from a declared name only in case.
    static func describe(_ error: XMLValidityError, declared: [String]) -> String {
        guard let element = error.element else { return error.description }
        let candidates = (expectedNames(in: error.message) ?? []) + declared
        guard let documented = candidates.first(where: { $0 != element && $0.lowercased() == element.lowercased() })
        else {
            return error.description
        }
        return "\(error.description) Wrong casing: the documented name is '\(documented)', got '\(element)'."
    }

    /// The names in libxml2's "Expected is ( A )" or "Expected is one of ( A, B )".
    static func expectedNames(in message: String) -> [String]? {
        guard let open = message.range(of: "Expected is"), let paren = message[open.upperBound...].firstIndex(of: "("),
            let close = message[paren...].firstIndex(of: ")")
        else { return nil }
        return message[message.index(after: paren)..<close].split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
