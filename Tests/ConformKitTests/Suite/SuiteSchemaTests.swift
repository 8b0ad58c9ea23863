import Foundation
import Testing

@testable import ConformKit

/// suites/conform-suite.schema.json stays in step with the loader: the shipped suites validate under both,
/// the documented invalid examples are rejected by both, and every object allows exactly the loader's keys.
///
/// Validation under the schema uses Python's `jsonschema` (Draft 2020-12) through Tests/schema/validate.py;
/// `.ci/run` installs it when missing.
@Suite struct SuiteSchemaTests {
    static let schemaPath = TestPaths.packageRoot.appendingPathComponent("suites/conform-suite.schema.json").path
    static let invalidFolder = TestPaths.fixtures.appendingPathComponent("invalid-suites")

    static let validSuites = [
        TestPaths.suite("pitchpoint.json"), TestPaths.suite("concur.json"), TestPaths.suite("oauth2.json"),
        TestPaths.suite("pitchpoint.yaml"), TestPaths.suite("concur.yaml"), TestPaths.suite("oauth2.yaml"),
        TestPaths.packageRoot.appendingPathComponent("benchmarks/pitchpoint-refresh.json").path,
        TestPaths.packageRoot.appendingPathComponent("benchmarks/hostile-bodies.json").path,
        TestPaths.fixtureSuite("pitchpoint-refresh-only.json"),
    ]

    /// The documented invalid examples: the `.json` files of the folder but `expected.json`.
    static func invalidExampleNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: invalidFolder.path)
            .filter { $0.hasSuffix(".json") && $0 != "expected.json" }.sorted()
    }

    /// The examples as test arguments; a folder that is missing or empty still makes one case, which fails.
    static var invalidExamples: [String] {
        let names = (try? invalidExampleNames()) ?? []
        return names.isEmpty ? [missingExamples] : names
    }

    private static let missingExamples = "(no invalid examples)"

    /// Every invalid example has its expected diagnostic, and every expected diagnostic its example.
    @Test func theInvalidExamplesFolderIsComplete() throws {
        let names = try Self.invalidExampleNames()
        #expect(!names.isEmpty, "no invalid examples in \(Self.invalidFolder.path)")
        let data = try Data(contentsOf: Self.invalidFolder.appendingPathComponent("expected.json"))
        let expected = try #require(JSONSerialization.jsonObject(with: data) as? [String: String])
        #expect(Set(expected.keys) == Set(names))
    }

    /// Runs the validator; the lines are "ok FILE" or "invalid FILE: …".
    private func validate(_ files: [String]) async throws -> (status: Int32, lines: [String]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["python3", TestPaths.packageRoot.appendingPathComponent("Tests/schema/validate.py").path, Self.schemaPath]
            + files
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let reader = output.fileHandleForReading
        let data = await Blocking.run { reader.readDataToEndOfFile() }
        let status = await Blocking.run {
            process.waitUntilExit()
            return process.terminationStatus
        }
        return (status, String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init))
    }

    @Test func shippedSuitesValidateUnderTheSchemaAndLoad() async throws {
        let result = try await validate(Self.validSuites)
        #expect(result.status == 0, "\(result.lines)")
        #expect(result.lines == Self.validSuites.map { "ok \($0)" })
        #expect(throws: Never.self) { try SuiteLoader().load(Self.validSuites) }
    }

    @Test func theShippedSuitesPointEditorsAtTheSchema() throws {
        for (path, reference) in [
            ("suites/pitchpoint.json", "./conform-suite.schema.json"),
            ("suites/concur.json", "./conform-suite.schema.json"),
            ("suites/oauth2.json", "./conform-suite.schema.json"),
            ("suites/oidc.json", "./conform-suite.schema.json"),
        ] {
            let text = try String(
                contentsOfFile: TestPaths.packageRoot.appendingPathComponent(path).path, encoding: .utf8)
            #expect(text.contains("\"$schema\": \"\(reference)\""), "\(path)")
        }
    }

    @Test(arguments: invalidExamples)
    func invalidExamplesAreRejectedByBoth(name: String) async throws {
        try #require(name != Self.missingExamples, "no invalid examples in \(Self.invalidFolder.path)")
        let path = Self.invalidFolder.appendingPathComponent(name).path
        let result = try await validate([path])
        #expect(result.status == 1)
        #expect(result.lines.first?.hasPrefix("invalid \(path): ") == true, "\(result.lines)")
        let expected =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: Self.invalidFolder.appendingPathComponent("expected.json"))) as? [String: String]
        let diagnostic = try #require(expected?[name])
        do {
            _ = try SuiteCompiler().load([path])
            Issue.record("the loader accepted \(name)")
        } catch {
            #expect(error.diagnostics.map(\.description) == ["\(path):\(diagnostic)"])
        }
    }

    /// Every object of the schema allows exactly the keys the loader allows.
    @Test func objectsAllowExactlyTheLoadersKeys() throws {
        let schema = try #require(
            JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.schemaPath)))
                as? [String: Any])
        let definitions = try #require(schema["$defs"] as? [String: Any])
        func keys(_ object: Any?) -> Set<String> {
            Set(((object as? [String: Any])?["properties"] as? [String: Any])?.keys.map { $0 } ?? [])
        }
        typealias Keys = SuiteFileReader.Keys
        let pairs: [(String, Any?, [String])] = [
            ("top level", schema, Keys.suite), ("variable", definitions["variable"], Keys.variable),
            ("defaults", definitions["defaults"], Keys.defaults), ("case", definitions["case"], Keys.testCase),
            ("request", definitions["request"], Keys.request), ("compare", definitions["compare"], Keys.comparison),
            ("expect", definitions["expect"], Keys.expectations), ("warn", definitions["warn"], Keys.warnings),
            ("body", definitions["body"], Keys.body), ("date", definitions["dateRule"], Keys.date),
            ("latency", definitions["latencyObjectives"], Keys.latency),
            ("capture", definitions["capture"], Keys.capture),
            ("report", definitions["reportEntry"], Keys.observation), ("jwt", definitions["jwtRule"], Keys.jwt),
            ("skip_if", definitions["skipIf"], Keys.skipIf),
            (
                "client_auth",
                ((definitions["request"] as? [String: Any])?["properties"] as? [String: Any])?["client_auth"],
                Keys.clientAuth
            ),
        ]
        for (name, object, loaderKeys) in pairs {
            #expect(keys(object) == Set(loaderKeys), "\(name)")
        }
        let rule = try #require(definitions["rule"] as? [String: Any])
        let named = ((rule["then"] as? [String: Any])?["enum"] as? [String]) ?? []
        #expect(Set(named) == Set(Keys.namedRules))
        #expect(keys(rule["else"]) == Set(Keys.valueRules))
        let models =
            (((definitions["body"] as? [String: Any])?["properties"] as? [String: Any])?["model"] as? [String: Any])?[
                "enum"] as? [String]
        #expect(models.map(Set.init) == Set(ResponseModels.names))
    }
}
