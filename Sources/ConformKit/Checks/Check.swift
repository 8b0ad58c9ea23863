import Foundation

/// A check takes one response and returns its findings; no finding means the check holds.
///
/// Checks are small values built per case from the suite's expectations, one type per file. They never
/// see transport failures: a request that did not complete is an error, not a failed check.
public protocol Check: Sendable {
    func evaluate(_ response: ResponseUnderTest) -> [Finding]
}

/// What a check says about a response.
public struct Finding: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable, Equatable {
        /// The case fails.
        case failure
        /// Reported in the case output and the report; the case still passes.
        case warning
        /// Information, such as whether a token was rotated.
        case note
        /// A failure the baseline knows (`--baseline`): shown, not failing the case.
        case knownDeviation = "known deviation"
    }

    public var severity: Severity
    /// The check that spoke: `status`, `content-type`, `body`, `field`, `header`, `latency`, `capture`.
    public var check: String
    public var message: String

    public init(_ severity: Severity, check: String, _ message: String) {
        self.severity = severity
        self.check = check
        self.message = message
    }

    public static func failure(_ check: String, _ message: String) -> Finding {
        Finding(.failure, check: check, message)
    }
    public static func warning(_ check: String, _ message: String) -> Finding {
        Finding(.warning, check: check, message)
    }
    public static func note(_ check: String, _ message: String) -> Finding { Finding(.note, check: check, message) }

    public var description: String { "\(severity.rawValue) [\(check)]: \(message)" }
}

/// The response a check looks at, with its body decoded once for all checks.
public struct ResponseUnderTest: Sendable {
    public var response: HTTPResponseSnapshot
    public var timing: ExchangeTiming
    public var document: ResponseDocument

    public init(response: HTTPResponseSnapshot, timing: ExchangeTiming, document: ResponseDocument) {
        self.response = response
        self.timing = timing
        self.document = document
    }
}
