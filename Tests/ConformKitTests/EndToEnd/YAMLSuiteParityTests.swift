import Foundation
import Testing

@testable import ConformJSON
@testable import ConformKit
@testable import ConformSupport

/// Each shipped suite has a YAML twin (`suites/NAME.yaml`) that must run exactly like the JSON file on its
/// embedded mock: the same status, console output, JSON results and JUnit report.
///
/// What is normalised, and nothing else: what ``normalized(_:)`` replaces in every golden file (times, ports,
/// dates, host names, mock client ids, the package path, connection set-up phases); the suite file's name,
/// `NAME.yaml` read as `NAME.json` (it is in the JUnit property `conform.suite_file` and the console's header);
/// in the JSON results, every `…_ms` figure, whether a connection was new or reused, and each case's `line`,
/// which is checked instead to point at the case's `- name:` line in the YAML file.
@Suite(.temporaryDirectories) struct YAMLSuiteParityTests {
    struct Outputs: Equatable {
        var status: ConformSupport.ExitStatus
        var console: String
        var junit: String
        var json: String
    }

    static func run(_ file: String) async -> Outputs {
        let path = TestPaths.suite(file)
        let console = await runConform([path])
        #expect(JUnitSchemas.problems(console.report) == [])
        let json = await runConform([path]) { $0.format = .json }
        let jsonName = file.replacingOccurrences(of: ".yaml", with: ".json")
        func same(_ text: String) -> String {
            normalized(text).replacingOccurrences(of: file, with: jsonName)
        }
        let results = try? JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let cases = (results?["suites"] as? [[String: Any]])?.first?["cases"] as? [[String: Any]] ?? []
        let lines =
            (try? String(contentsOfFile: path, encoding: .utf8))?.split(
                separator: "\n", omittingEmptySubsequences: false) ?? []
        #expect(!cases.isEmpty)
        // A YAML case starts at its first key, `- name: …` in the shipped twins (a JSON one at its `{`).
        for testCase in cases where file.hasSuffix(".yaml") {
            let name = testCase["name"] as? String ?? "?"
            let line = testCase["line"] as? Int ?? 0
            let text = line > 0 && line <= lines.count ? String(lines[line - 1]) : ""
            #expect(
                text.hasPrefix("  - name: ") && text.contains(name), "\(file): line \(line) of '\(name)' is \(text)")
        }
        let jsonText = same(json.stdout)
            .replacingOccurrences(of: #""(\w+_ms)" : [0-9.e+-]+"#, with: #""$1" : N"#, options: .regularExpression)
            .replacingOccurrences(
                of: #""connection" : "\w+""#, with: #""connection" : "C""#, options: .regularExpression
            )
            .replacingOccurrences(of: #""line" : \d+"#, with: #""line" : L"#, options: .regularExpression)
        return Outputs(
            status: console.status, console: same(console.stdout), junit: same(console.reportText), json: jsonText)
    }

    @Test(arguments: ["pitchpoint.json", "concur.json", "oauth2.json", "oidc.json"])
    func yamlTwinRunsLikeTheJSONSuite(_ file: String) async throws {
        let json = await Self.run(file)
        let yaml = await Self.run(file.replacingOccurrences(of: ".json", with: ".yaml"))
        #expect(json.status == .passed)
        #expect(yaml.status == json.status)
        #expect(yaml.console == json.console)
        #expect(yaml.junit == json.junit)
        #expect(yaml.json == json.json)
        #expect(json.junit.contains("<testcase"))
    }

    /// `conform lint` takes a YAML suite like a JSON one: the same answer, with the file's own name.
    @Test(arguments: ["pitchpoint", "concur", "oauth2", "oidc"])
    func lintTakesTheYAMLTwin(_ name: String) async throws {
        let json = try await ConformBinary.run(["lint", TestPaths.suite("\(name).json")])
        let yaml = try await ConformBinary.run([
            "lint", TestPaths.suite("\(name).yaml"), TestPaths.suite("\(name).yml"),
        ])
        #expect(json.status == 0)
        #expect(yaml.status == 2)
        #expect(yaml.stderr == "\(TestPaths.suite("\(name).yml")): error: no such suite file\n")
        let alone = try await ConformBinary.run(["lint", TestPaths.suite("\(name).yaml")])
        #expect(alone.status == 0)
        #expect(alone.stderr == "")
        #expect(alone.stdout == json.stdout.replacingOccurrences(of: "\(name).json", with: "\(name).yaml"))
    }

    /// The twins load into the same suite: case for case, field for field (compared as the JSON tree).
    @Test(arguments: ["pitchpoint", "concur", "oauth2", "oidc"])
    func yamlTwinHoldsTheSameTree(_ name: String) throws {
        let read = { (file: String) throws -> JSONValue in
            let data = try Data(contentsOf: URL(fileURLWithPath: TestPaths.suite(file)))
            let tree = try SuiteFileFormat(path: file).parse(Array(data)).jsonValue
            guard case .object(var members) = tree else { return tree }
            members["$schema"] = nil
            return .object(members)
        }
        #expect(try read("\(name).yaml") == read("\(name).json"))
        let text = try String(contentsOfFile: TestPaths.suite("\(name).yaml"), encoding: .utf8)
        #expect(text.hasPrefix("# yaml-language-server: $schema=./conform-suite.schema.json\n"))
    }
}
