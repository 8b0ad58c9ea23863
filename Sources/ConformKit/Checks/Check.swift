import ConformSupport
import ConformJSON
import ConformHTTP
import ConformJSONSchema
import Foundation
import NIOConcurrencyHelpers

/// A check takes one response and returns its findings; no finding means the check holds.
///
/// Checks are small values built per case from the suite's expectations, one type per file. They never
/// see transport failures: a request that did not complete is an error, not a failed check.
protocol Check: Sendable {
    func evaluate(_ response: ResponseUnderTest) -> [Finding]
}

/// The response a check looks at, with its body decoded once for all checks, and validated at most once
/// per JSON Schema (the body check and the field rules of a block ask the same schema).
struct ResponseUnderTest: Sendable {
    var response: HTTPResponseSnapshot
    var timing: ExchangeTiming
    var document: ResponseDocument
    /// What the TLS handshake of the exchange's connection showed (https only).
    var tls: TLSFacts?
    /// When checking must stop: the case's time budget (`--max-case-time`) or the run's end. Checks that may
    /// take long (patterns, JSON Schema validation) ask it and report what they could not finish.
    var deadline: WorkDeadline
    private let validations = SchemaValidations()

    init(
        response: HTTPResponseSnapshot, timing: ExchangeTiming, document: ResponseDocument, tls: TLSFacts? = nil,
        deadline: WorkDeadline = .never
    ) {
        self.response = response
        self.timing = timing
        self.document = document
        self.tls = tls
        self.deadline = deadline
    }

    /// The schema's violations by the JSON body (none when the body is not JSON).
    func violations(of schema: JSONSchema) -> [JSONSchemaViolation] {
        guard case .json(let value) = document else { return [] }
        return validations.violations(of: schema, value, deadline: deadline)
    }
}

/// Violations computed once per schema for one response. Checks of one response run one after the
/// other, but the type must be Sendable, so it is locked.
private final class SchemaValidations: Sendable {
    private let results = NIOLockedValueBox<[(schema: JSONSchema, violations: [JSONSchemaViolation])]>([])

    func violations(of schema: JSONSchema, _ value: JSONValue, deadline: WorkDeadline) -> [JSONSchemaViolation] {
        if let found = results.withLockedValue({ $0.first { $0.schema.identity == schema.identity } }) {
            return found.violations
        }
        let violations = schema.validate(value, deadline: deadline)
        results.withLockedValue { $0.append((schema, violations)) }
        return violations
    }
}
