import Foundation
import Testing

@testable import ConformKit

/// Paths of the package, found from this file so that tests run from any working directory.
enum TestPaths {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = packageRoot.appendingPathComponent("Tests/ConformKitTests/Fixtures")
    static let snapshots = packageRoot.appendingPathComponent("Tests/ConformKitTests/__Snapshots__")

    static func suite(_ name: String) -> String { packageRoot.appendingPathComponent("suites/\(name)").path }
    static func fixtureSuite(_ name: String) -> String { fixtures.appendingPathComponent("suites/\(name)").path }

    /// A new empty folder under the system's temporary folder.
    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("conform-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes a suite file into a temporary folder and returns its path.
    static func writeSuite(_ text: String, name: String = "suite.json") -> String {
        let url = temporaryDirectory().appendingPathComponent(name)
        try? Data(text.utf8).write(to: url)
        return url.path
    }
}

/// The two JUnit schemas every report must satisfy (copies of ../shared/junit).
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
    var status: ConformKit.ExitStatus
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
    let status = await ConformRun.run(options, environment: environment, output: stdout, errors: stderr)
    let path = options.junitPath ?? reportPath
    let report = FileManager.default.contents(atPath: path) ?? Data()
    return RunOutcome(status: status, stdout: stdout.text, stderr: stderr.text, reportPath: path, report: report)
}

/// Golden files: compares text with `__Snapshots__/NAME.txt`; `RECORD_SNAPSHOTS=1` rewrites them.
func assertSnapshot(_ text: String, named name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let url = TestPaths.snapshots.appendingPathComponent("\(name).txt")
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil {
        try? Data(text.utf8).write(to: url)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record(
            "no snapshot \(name).txt; run with RECORD_SNAPSHOTS=1 to record it", sourceLocation: sourceLocation)
        return
    }
    #expect(text == expected, "snapshot \(name).txt differs", sourceLocation: sourceLocation)
}

/// Replaces what changes from run to run (ports, times, random tokens, host names) with placeholders.
func normalized(_ text: String) -> String {
    // Timing properties depend on the run (the pool may open a connection or reuse one), and so does the
    // notice of a case still running after 5 s on a busy machine; they have their own tests.
    var result = text.split(separator: "\n", omittingEmptySubsequences: false)
        .filter {
            $0.range(
                of:
                    #"\.(dns|connect|tls|send|wait|server|ttfb|download|latency|queue|total)_ms" value=|\.connection" value=|^  … '.*' is still running after \d+ s"#,
                options: .regularExpression) == nil
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
        (#"\d+/s\)"#, "N/s)"),
        (#"(_ms|\.samples)" value="[0-9.]+""#, #"$1" value="N""#),
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
