import Foundation

/// A JUnit report as data: what ``JUnitWriter`` writes and what `conform merge` reads back.
public struct JUnitDocument: Sendable, Equatable {
    public struct TestSuite: Sendable, Equatable {
        public var name: String
        public var timestamp: String
        public var hostname: String
        /// Seconds.
        public var time: Double
        public var properties: [Property]
        public var testCases: [TestCase]
        public var systemOut: String
        public var systemErr: String

        public var failures: Int { testCases.filter { $0.result?.kind == .failure }.count }
        public var errors: Int { testCases.filter { $0.result?.kind == .error }.count }
        public var skipped: Int { testCases.filter { $0.result?.kind == .skipped }.count }
    }

    public struct Property: Sendable, Equatable {
        public var name: String
        public var value: String
    }

    public struct TestCase: Sendable, Equatable {
        public var name: String
        public var classname: String
        public var time: Double
        /// `nil` for a passed case.
        public var result: Result?
    }

    /// `<failure>`, `<error>` or `<skipped>`: at most one per case, as both schemas require.
    public struct Result: Sendable, Equatable {
        public enum Kind: String, Sendable, Equatable {
            case failure, error, skipped
        }

        public var kind: Kind
        public var type: String?
        public var message: String
        public var text: String
    }

    public var suites: [TestSuite]

    public init(suites: [TestSuite]) {
        self.suites = suites
    }
}

extension JUnitDocument {
    /// The report of a run: one `<testsuite>` per suite result.
    public init(results: [SuiteResult], hostname: String = Host.name) {
        suites = results.map { result in
            TestSuite(
                name: result.suiteName, timestamp: JUnitWriter.timestamp(result.startedAt), hostname: hostname,
                time: result.duration.milliseconds / 1000,
                properties: JUnitWriter.properties(of: result).map { Property(name: $0.0, value: $0.1) },
                testCases: result.cases.map { TestCase(result: $0, classname: result.suiteName) },
                systemOut: result.transcript, systemErr: "")
        }
    }

    /// Suites of the same name (shards of one suite) become one, their cases in input order; totals are
    /// counted again from the cases; properties are kept once per name.
    public static func merged(_ documents: [JUnitDocument]) -> JUnitDocument {
        var merged: [TestSuite] = []
        for suite in documents.flatMap(\.suites) {
            guard let index = merged.firstIndex(where: { $0.name == suite.name }) else {
                merged.append(suite)
                continue
            }
            var existing = merged[index]
            existing.time += suite.time
            existing.timestamp = min(existing.timestamp, suite.timestamp)
            existing.testCases += suite.testCases
            for property in suite.properties where !existing.properties.contains(where: { $0.name == property.name }) {
                existing.properties.append(property)
            }
            existing.systemOut += suite.systemOut
            existing.systemErr += suite.systemErr
            merged[index] = existing
        }
        return JUnitDocument(suites: merged)
    }
}

extension JUnitDocument.TestCase {
    init(result: CaseResult, classname: String) {
        name = result.name
        self.classname = classname
        time = result.duration.milliseconds / 1000
        switch result.outcome {
        case .passed:
            self.result = nil
        case .failed:
            let failures = result.failures
            let more = failures.count > 1 ? " (and \(failures.count - 1) more)" : ""
            self.result = .init(
                kind: .failure, type: failures.first?.check.rawValue ?? "check",
                message: (failures.first?.message ?? "failed") + more,
                text: result.diagnostic.text)
        case .errored:
            let failure = result.transportFailure
            self.result = .init(
                kind: .error, type: failure?.kind ?? "transport", message: failure?.description ?? "error",
                text: result.diagnostic.text)
        case .skipped:
            self.result = .init(kind: .skipped, type: nil, message: result.skipReason ?? "skipped", text: "")
        }
    }
}
