import ConformHTTP
import ConformJSON
import ConformJSONSchema
import ConformSupport
import Foundation
import NIOConcurrencyHelpers

/// A check takes one response and returns its findings; no finding means the check holds.
///
/// Checks are small values built per case from the suite's expectations, one type per file. They never
/// see transport failures: a request that did not complete is an error, not a failed check.
package protocol Check: Sendable {
    func evaluate(_ response: ResponseUnderTest) -> [Finding]
}

/// What a check says about a response.
package struct Finding: Sendable, Equatable, CustomStringConvertible {
    package enum Severity: String, Sendable, Equatable {
        /// The case fails.
        case failure
        /// Reported in the case output and the report; the case still passes.
        case warning
        /// Information, such as whether a token was rotated.
        case note
        /// A failure the baseline knows (`--baseline`): shown, not failing the case.
        case knownDeviation = "known deviation"
    }

    var severity: Severity
    /// The check that spoke: `status`, `content-type`, `body`, `field`, `header`, `latency`, `capture`.
    var check: String
    var message: String

    package init(_ severity: Severity, check: String, _ message: String) {
        self.severity = severity
        self.check = check
        self.message = message
    }

    static func failure(_ check: String, _ message: String) -> Finding {
        Finding(.failure, check: check, message)
    }
    package static func warning(_ check: String, _ message: String) -> Finding {
        Finding(.warning, check: check, message)
    }
    static func note(_ check: String, _ message: String) -> Finding { Finding(.note, check: check, message) }

    package var description: String { "\(severity.rawValue) [\(check)]: \(message)" }
}

/// The response a check looks at, with its body decoded once for all checks, and validated at most once
/// per JSON Schema (the body check and the field rules of a block ask the same schema).
package struct ResponseUnderTest: Sendable {
    package var response: HTTPResponseSnapshot
    package var timing: ExchangeTiming
    var document: ResponseDocument
    /// What the TLS handshake of the exchange's connection showed (https only).
    package var tls: TLSFacts?
    /// When checking must stop: the case's time budget (`--max-case-time`) or the run's end. Checks that may
    /// take long (patterns, JSON Schema validation) ask it and report what they could not finish.
    var deadline: WorkDeadline
    private let validations = SchemaValidations()

    package init(
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
