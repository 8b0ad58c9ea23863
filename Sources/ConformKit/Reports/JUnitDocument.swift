import Foundation

/// A JUnit report as data: what ``JUnitWriter`` writes and what `conform merge` reads back.
struct JUnitDocument: Sendable, Equatable {
    struct TestSuite: Sendable, Equatable {
        var name: String
        var timestamp: String
        var hostname: String
        /// Seconds.
        var time: Double
        var properties: [Property]
        var testCases: [TestCase]
        var systemOut: String
        var systemErr: String

        var failures: Int { testCases.filter { $0.result?.kind == .failure }.count }
        var errors: Int { testCases.filter { $0.result?.kind == .error }.count }
        var skipped: Int { testCases.filter { $0.result?.kind == .skipped }.count }
    }

    struct Property: Sendable, Equatable {
        var name: String
        var value: String
    }

    struct TestCase: Sendable, Equatable {
        var name: String
        var classname: String
        var time: Double
        /// `nil` for a passed case.
        var result: Result?
    }

    /// `<failure>`, `<error>` or `<skipped>`: at most one per case, as both schemas require.
    struct Result: Sendable, Equatable {
        enum Kind: String, Sendable, Equatable {
            case failure, error, skipped
        }

        var kind: Kind
        var type: String?
        var message: String
        var text: String
    }

    var suites: [TestSuite]

    init(suites: [TestSuite]) {
        self.suites = suites
    }
}

extension JUnitDocument {
    /// The report of a run: one `<testsuite>` per suite result.
    init(results: [SuiteResult], hostname: String = Host.name) {
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
    static func merged(_ documents: [JUnitDocument]) -> JUnitDocument {
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
