import Foundation
import Testing

@testable import ConformKit
@testable import conform
@testable import ConformSupport
@testable import ConformXML

/// Paths of the package, found from this file so that tests run from any working directory.
enum TestPaths {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = packageRoot.appendingPathComponent("Tests/ConformKitTests/Fixtures")
    static let snapshots = packageRoot.appendingPathComponent("Tests/ConformKitTests/__Snapshots__")

    static func suite(_ name: String) -> String { packageRoot.appendingPathComponent("suites/\(name)").path }
    static func fixtureSuite(_ name: String) -> String { fixtures.appendingPathComponent("suites/\(name)").path }

    /// A new empty folder inside the running test's own temporary folder (see ``TemporaryDirectories``),
    /// which is removed when the test ends. Called outside such a test, it records an issue: the folder
    /// would outlive the run.
    static func temporaryDirectory(sourceLocation: Testing.SourceLocation = #_sourceLocation) -> URL {
        let parent: URL
        if let scope = TemporaryDirectories.current {
            parent = scope
        } else {
            Issue.record(
                "a temporary folder outside a test with the .temporaryDirectories trait is never removed",
                sourceLocation: sourceLocation)
            parent = FileManager.default.temporaryDirectory
        }
        let url = parent.appendingPathComponent(UUID().uuidString)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            Issue.record("cannot create \(url.path): \(error)", sourceLocation: sourceLocation)
        }
        return url
    }

    /// Writes a suite file into a temporary folder and returns its path.
    static func writeSuite(
        _ text: String, name: String = "suite.json", sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> String {
        let url = temporaryDirectory(sourceLocation: sourceLocation).appendingPathComponent(name)
        do {
            try Data(text.utf8).write(to: url)
        } catch {
            Issue.record("cannot write \(url.path): \(error)", sourceLocation: sourceLocation)
        }
        return url.path
    }

    /// Makes a FIFO (named pipe) in `folder`: an input that would block a reader forever.
    static func fifo(in folder: URL, named name: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try #require(mkfifo(path, 0o600) == 0)
        return path
    }

    /// Loads a suite text written to a temporary file; throws its diagnostics.
    static func loadSuite(_ text: String) throws -> ConformKit.Suite {
        try SuiteLoader().load(writeSuite(text)).get()
    }

    /// The diagnostics of a suite text, with `files` written beside it, and the folder's path dropped so that
    /// they read `suite.json:3:5: …`; none when it loads.
    static func suiteDiagnostics(
        _ text: String, files: [String: String] = [:], name: String = "suite.json",
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> [String] {
        let path = writeSuite(text, name: name, sourceLocation: sourceLocation)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        for (name, content) in files {
            do {
                try Data(content.utf8).write(to: folder.appendingPathComponent(name))
            } catch {
                Issue.record("cannot write \(name): \(error)", sourceLocation: sourceLocation)
            }
        }
        do {
            _ = try SuiteCompiler().load([path])
            return []
        } catch {
            return error.diagnostics.map { $0.description.replacingOccurrences(of: folder.path + "/", with: "") }
        }
    }
}

/// Gives each test of a suite its own folder under the system's temporary folder, removed when the test
/// ends, however it ends: `@Suite(.temporaryDirectories)`. ``TestPaths/temporaryDirectory(sourceLocation:)``
/// makes its folders inside it.
struct TemporaryDirectories: SuiteTrait, TestTrait, TestScoping {
    @TaskLocal static var current: URL?

    var isRecursive: Bool { true }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        guard !test.isSuite, Self.current == nil else { return try await function() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "conform-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer {
            do {
                try FileManager.default.removeItem(at: folder)
            } catch {
                Issue.record("cannot remove the test's temporary folder \(folder.path): \(error)")
            }
        }
        try await Self.$current.withValue(folder) { try await function() }
    }
}

extension Trait where Self == TemporaryDirectories {
    /// Each test gets a temporary folder that is removed when it ends.
    static var temporaryDirectories: Self { Self() }
}

/// The two JUnit schemas every report must satisfy: Jenkins xunit's junit-10.xsd and the Ant-format JUnit.xsd,
/// kept in the repository under Tests/ConformKitTests/Fixtures/junit/.
enum JUnitSchemas {
    static let loader = XMLSchemaCache()
    static var jenkins: XMLSchema {
        try! loader.schema(
            at: TestPaths.fixtures.appendingPathComponent("junit/jenkins-xunit-junit-10.xsd"), suiteFolder: TestPaths.fixtures)
    }
    static var ant: XMLSchema {
        try! loader.schema(
            at: TestPaths.fixtures.appendingPathComponent("junit/windyroad-JUnit.xsd"), suiteFolder: TestPaths.fixtures)
    }

    /// Every validity problem of the report under both schemas; empty when it is valid under both.
    static func problems(_ report: Data) -> [String] {
        var problems: [String] = []
        for (name, schema) in [("junit-10.xsd", jenkins), ("JUnit.xsd", ant)] {
            switch XMLDocumentReader.read(report, schema: schema) {
            case .success(let summary): problems += summary.validityErrors.map { "\(name): \($0)" }
            case .failure(let failure): problems.append("\(name): \(failure)")
            }
        }
        return problems
    }
}

/// What one in-process `conform run` printed and wrote.
struct RunOutcome {
    var status: ConformSupport.ExitStatus
    var stdout: String
    var stderr: String
    var reportPath: String
    var report: Data

    var reportText: String { String(decoding: report, as: UTF8.self) }
    /// Everything the run put out, for secret greps.
    var everything: String { stdout + stderr + reportText }
}

/// Runs `conform run` in-process, the same code path as the binary, with the report in a temporary folder.
func runConform(
    _ suites: [String], arguments: (inout RunOptions) -> Void = { _ in }, environment: [String: String] = [:]
) async -> RunOutcome {
    var options = RunOptions(suitePaths: suites)
    let reportPath = TestPaths.temporaryDirectory().appendingPathComponent("report.xml").path
    options.junitPath = reportPath
    arguments(&options)
    let stdout = BufferedOutput()
    let stderr = BufferedOutput()
    let status = await ConformRun.run(options, environment: environment, output: stdout, errors: stderr, diagnostics: DiagnosticPrinter(output: stderr))
    let path = options.junitPath ?? reportPath
    let report = FileManager.default.contents(atPath: path) ?? Data()
    return RunOutcome(status: status, stdout: stdout.text, stderr: stderr.text, reportPath: path, report: report)
}

/// The environment variable that re-records golden files (only when it is exactly `1`).
enum SnapshotMode {
    static let variable = "RECORD_SNAPSHOTS"
}

/// Golden files: compares text with `__Snapshots__/NAME.txt`.
///
/// `RECORD_SNAPSHOTS=1`, exactly, writes the text there instead; a test that recorded a change still
/// fails, so that a recording run can never pass unseen (run again without it to check). Any other value
/// of the variable is an issue, and the comparison runs as usual. A snapshot that cannot be read or
/// written fails the test.
func assertSnapshot(
    _ text: String, named name: String, in folder: URL = TestPaths.snapshots,
    environment: [String: String] = ProcessInfo.processInfo.environment,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
    let url = folder.appendingPathComponent("\(name).txt")
    if let value = environment[SnapshotMode.variable], value != "1" {
        Issue.record(
            "\(SnapshotMode.variable)=\(value) records nothing: only \(SnapshotMode.variable)=1 does",
            sourceLocation: sourceLocation)
    }
    let expected = try? String(contentsOf: url, encoding: .utf8)
    if environment[SnapshotMode.variable] == "1" {
        guard text != expected else { return }
        do {
            try Data(text.utf8).write(to: url, options: .atomic)
            Issue.record(
                "recorded \(name).txt: check its diff, then run again without \(SnapshotMode.variable)",
                sourceLocation: sourceLocation)
        } catch {
            Issue.record("cannot write the snapshot \(url.path): \(error)", sourceLocation: sourceLocation)
        }
        return
    }
    guard let expected else {
        Issue.record(
            "no snapshot \(name).txt; run with \(SnapshotMode.variable)=1 to record it", sourceLocation: sourceLocation)
        return
    }
    #expect(text == expected, "snapshot \(name).txt differs", sourceLocation: sourceLocation)
}

/// Replaces what changes from run to run with placeholders: times and rates, ports, dates, random ids, host
/// names, the package's path, and whether a connection was new or reused (which the pool decides). Counts
/// and sizes stay, so that a wrong figure shows as a difference.
func normalized(_ text: String) -> String {
    // The set-up phases are there only for a new connection, which the pool may open or not; a case still
    // running after 5 s says so only on a busy machine.
    var result = text.split(separator: "\n", omittingEmptySubsequences: false)
        .filter {
            $0.range(of: #"\.(dns|connect|tls)_ms" value=|^  … '.*' is still running after \d+ s"#, options: .regularExpression)
                == nil
        }
        .joined(separator: "\n")
        .replacingOccurrences(of: TestPaths.packageRoot.path, with: "ROOT")
    let replacements: [(String, String)] = [
        (#"127\.0\.0\.1:\d+"#, "127.0.0.1:PORT"),
        (#"\d+(\.\d+)? ms"#, "N ms"),
        (#"\d+\.\d\d s"#, "N s"),
        (#"time="\d+\.\d{3}""#, #"time="T""#),
        (#"timestamp="[0-9T:-]+""#, #"timestamp="TIMESTAMP""#),
        (#"hostname="[^"]+""#, #"hostname="HOST""#),
        (#"mock-client-[A-Za-z0-9_-]{8}"#, "mock-client-ID"),
        (#"\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}:\d{2} [AP]M"#, "DATE"),
        (#"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d"#, "ISODATE"),
        (#"ERR-[A-Za-z0-9_-]{12}"#, "ERR-ID"),
        (#"report /[^ \n]+"#, "report REPORT"),
        (#"[0-9.]+/s\)"#, "N/s)"),
        (#"_ms" value="[0-9.]+""#, #"_ms" value="N""#),
        (#"\.connection" value="[^"]*""#, #".connection" value="CONNECTION""#),
    ]
    for (pattern, replacement) in replacements {
        result = result.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
    }
    return result
}

/// Every HTML report a test writes must stay well-formed XML with an `<html>` root.
enum HTMLPages {
    /// Why the page is not well-formed XML with an `<html>` root; `nil` when it is.
    static func problem(_ page: String) -> String? {
        // XMLDocumentReader refuses a DOCTYPE, which is the page's first line.
        let body = page.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).last ?? ""
        switch XMLDocumentReader.read(Data(body.utf8)) {
        case .success(let summary): return summary.rootName == "html" ? nil : "the root is \(summary.rootName)"
        case .failure(let failure): return "\(failure)"
        }
    }
}

extension JSONDecoder {
    /// Reads conform's JSON results (snake_case keys).
    static var snakeCase: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}

/// Text as XML writes it in content and attribute values: what a report shows for a message.
enum XMLText {
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
