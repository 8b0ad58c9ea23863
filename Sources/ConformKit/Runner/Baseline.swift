import ConformHTTP
import Crypto
import Foundation

/// Known deviations, the SwiftLint way: `--write-baseline PATH` records today's failures and errors, and
/// `--baseline PATH` reports those as known deviations (shown in every output, never failing the run),
/// fails on anything new, and says when a known deviation no longer happens.
///
/// An entry is an identity, never a sentence: the suite, the case, the check (``CheckID``), the location
/// and what the suite expected, plus the value the response showed as a keyed hash (HMAC-SHA256 with a key
/// drawn at random for each baseline and kept in it). No value the server sent is written to the file, yet
/// another value is a new failure (`unauthorized_client` recorded, `invalid_grant` seen); rewording a
/// `reason` or a message changes nothing. A check with no actual value (a latency, a sample count) hashes
/// the shape of its sentence instead (``shape(_:)``: measured figures left out).
///
/// ```json
/// {"format": "conform-baseline", "version": 2, "key": "9f…", "deviations": [
///   {"suite": "oauth2", "case": "missing grant_type is refused", "check": "field.equals",
///    "location": "error", "expected": "expected \"invalid_request\"",
///    "expected_digest": "c1…", "actual_digest": "5e…"}]}
/// ```
///
/// A baseline of version 1 (entries of check and message shape) is still read and matched as before, with
/// a note to re-record it (``legacyNote``).
struct Baseline: Sendable, Equatable {
    /// One known deviation. Two entries are the same deviation when all but `expected` agree: `expected` is
    /// there for a reviewer (the file is masked like every report), the digests decide.
    struct Entry: Sendable, Codable, Hashable {
        var suite: String
        var `case`: String
        /// The check's identity: `field.equals`, `status`, `error` for a transport error.
        var check: String
        /// The field, header or XML line and element; nil for the response as a whole.
        var location: String?
        /// What the suite expected, in its words: for review only.
        var expected: String?
        /// HMAC-SHA256 of what the suite expected.
        var expectedDigest: String
        /// HMAC-SHA256 of what the response showed (or of the sentence's shape for a check with no value).
        var actualDigest: String

        enum CodingKeys: String, CodingKey {
            case suite, `case`, check, location, expected
            case expectedDigest = "expected_digest"
            case actualDigest = "actual_digest"
        }

        /// The same deviation: everything but the text for review.
        var identity: [String] { [suite, `case`, check, location ?? "", expectedDigest] }
        /// What a reviewer reads: suite, case, check, location and expected (no digest).
        var identityFields: [String] { [suite, `case`, check, location ?? "", expected ?? ""] }

        static func == (left: Entry, right: Entry) -> Bool {
            left.identity == right.identity && left.actualDigest == right.actualDigest
        }
        func hash(into hasher: inout Hasher) {
            hasher.combine(identity)
            hasher.combine(actualDigest)
        }
    }

    /// An entry of a version 1 baseline: the check's console word and the shape of the message.
    struct LegacyEntry: Sendable, Codable, Hashable {
        var suite: String
        var `case`: String
        var check: String
        var message: String
    }

    static let format = "conform-baseline"
    static let version = 2
    /// The HMAC key, hex: drawn when the baseline is recorded.
    var key: String
    var deviations: [Entry]
    /// The entries of a version 1 file, matched by message shape.
    var legacy: [LegacyEntry] = []
    /// Set when the file is of version 1.
    var legacyNote: String?

    init(key: String = Baseline.randomKey(), deviations: [Entry]) {
        self.key = key
        self.deviations = deviations
    }

    /// 32 random bytes, hex.
    static func randomKey() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// Today's failures and errors, one entry each, in report order.
    static func recording(_ results: [SuiteResult], key: String = Baseline.randomKey()) -> Baseline {
        var baseline = Baseline(key: key, deviations: [])
        var seen: Set<Entry> = []
        for suite in results {
            for testCase in suite.cases {
                for finding in deviations(of: testCase) {
                    let entry = baseline.entry(for: finding, suite: suite.suiteName, case: testCase.name)
                    if seen.insert(entry).inserted { baseline.deviations.append(entry) }
                }
            }
        }
        return baseline
    }

    /// The entry a failure would have in this baseline.
    func entry(for finding: Finding, suite: String, case name: String) -> Entry {
        let location = finding.location.text
        return Entry(
            suite: suite, case: name, check: finding.check.rawValue, location: location.isEmpty ? nil : location,
            expected: finding.expected, expectedDigest: digest("expected", finding.expected ?? ""),
            actualDigest: digest("actual", finding.actual ?? Self.shape(finding.bareMessage)))
    }

    /// HMAC-SHA256 of a labelled value under this baseline's key, hex. The label keeps an expected value
    /// from ever equalling an actual one.
    func digest(_ label: String, _ value: String) -> String {
        let keyBytes = Self.bytes(hex: key) ?? Array(key.utf8)
        let code = HMAC<SHA256>.authenticationCode(
            for: Array("\(label)\u{0}\(value)".utf8), using: SymmetricKey(data: keyBytes))
        return code.map { String(format: "%02x", $0) }.joined()
    }

    /// The failures and the error of a case, as findings: the error as an `error` finding whose expected
    /// value is its kind.
    static func deviations(of testCase: CaseResult) -> [Finding] {
        var found = testCase.failures
        if testCase.outcome == .errored, let failure = testCase.transportFailure {
            found.insert(transportFinding(failure), at: 0)
        }
        return found
    }

    static func transportFinding(_ failure: TransportFailure) -> Finding {
        Finding(.failure, check: .transportError(failure.kind), failure.description, expected: failure.kind)
    }

    private static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0, !digits.isEmpty else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else {
                return nil
            }
            bytes.append(byte)
            index += 2
        }
        return bytes
    }
}

/// A baseline that cannot be read: exit status 2.
struct BaselineError: Error, Sendable, CustomStringConvertible {
    var path: String
    var reason: String

    var description: String { "--baseline \(path): \(reason)" }
}
