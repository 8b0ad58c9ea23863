import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import ConformKit
@testable import ConformSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Promises of the README about runs and reports, each seen where a user sees it: the real binary's exit
/// status, console and files. Their components have unit tests of their own; these catch what the
/// composition could lose.
@Suite(.temporaryDirectories) struct BinaryPromisesTests {
    /// Answers `/close` by closing the connection and anything else with 200 `ok`.
    struct PathEndpoint: MockEndpoint {
        var credentials: MockCredentials { MockCredentials(entries: []) }
        var usesUpCredentials: Bool { false }
        func respond(to request: MockRequest) -> MockResponse {
            request.path == "/close"
                ? .closeWithoutResponse : .full(status: .ok, contentType: "text/plain", body: Data("ok".utf8))
        }
    }

    /// One case of each outcome but skipped, which two cases are: a path with an unset optional variable,
    /// and a case that requires it.
    static let mixedSuite = """
        {
          "format": 1, "name": "mixed", "defaults": { "latency_budget_ms": 60000 },
          "variables": { "optional": { "value": "${env:MIXED_OPTIONAL}", "required": false } },
          "cases": [
            { "name": "passes", "request": { "method": "GET", "path": "/ok" }, "expect": { "status": 200 } },
            { "name": "fails", "request": { "method": "GET", "path": "/ok" }, "expect": { "status": 201 } },
            { "name": "errs", "request": { "method": "GET", "path": "/close" }, "expect": { "status": 200 } },
            { "name": "skips", "request": { "method": "GET", "path": "/ok/${optional}" }, "expect": { "status": 200 } },
            { "name": "skips too", "requires": ["optional"], "request": { "method": "GET", "path": "/ok" }, "expect": { "status": 200 } }
          ]
        }
        """

    /// The JSON results and the JUnit report of one run say the same, field by field: totals, the suite's
    /// time, and each case's outcome and time (JUnit's seconds with three decimals, JSON's milliseconds).
    @Test func jsonTotalsAndJUnitTotalsOfOneRunAgree() async throws {
        let server = try await MockServer.start(PathEndpoint(), configuration: MockConfiguration())
        let folder = TestPaths.temporaryDirectory()
        let report = folder.appendingPathComponent("report.xml").path
        let result = try await ConformBinary.run([
            "run", TestPaths.writeSuite(Self.mixedSuite), "--base-url", server.baseURL.absoluteString, "--format",
            "json",
            "--junit", report,
        ])
        await server.stop()
        #expect(result.status == 1)
        let json = try JSONDecoder.snakeCase.decode(JSONResults.self, from: Data(result.stdout.utf8))
        let suite = try #require(json.suites.first)
        let xml = try String(contentsOfFile: report, encoding: .utf8)
        let attributes = try #require(
            xml.firstMatch(
                of:
                    /<testsuite name="mixed" [^>]*tests="(\d+)" failures="(\d+)" errors="(\d+)" skipped="(\d+)" time="([0-9.]+)">/
            ))
        #expect(
            [attributes.1, attributes.2, attributes.3, attributes.4].map(String.init)
                == [suite.counts.tests, suite.counts.failed, suite.counts.errors, suite.counts.skipped].map(String.init)
        )
        #expect(
            suite.counts
                == JSONResults.Counts(
                    tests: 5, passed: 1, failed: 1, errors: 1, skipped: 2, warnings: 0, knownDeviations: 0))
        #expect(
            suite.counts.tests == suite.counts.passed + suite.counts.failed + suite.counts.errors + suite.counts.skipped
        )
        // JUnit rounds seconds to three decimals, JSON milliseconds to three: the same time within rounding.
        let junit = try #require(try JUnitReader.read(Data(xml.utf8), file: report).suites.first)
        #expect(abs((Double(attributes.5) ?? -1) - suite.durationMs / 1000) <= 0.00051)
        #expect(junit.testCases.map(\.name) == suite.cases.map(\.name))
        for (junitCase, jsonCase) in zip(junit.testCases, suite.cases) {
            let kind: JUnitDocument.Result.Kind? =
                switch jsonCase.outcome {
                case "failed": .failure
                case "errored": .error
                case "skipped": .skipped
                default: nil
                }
            #expect(junitCase.result?.kind == kind, "\(jsonCase.name)")
            #expect(abs(junitCase.time - jsonCase.durationMs / 1000) <= 0.00051, "\(jsonCase.name)")
        }
        #expect(suite.cases.map(\.outcome) == ["passed", "failed", "errored", "skipped", "skipped"])
        #expect(result.stderr.contains("mixed: 5 cases: 1 passed, 1 failed, 1 error, 2 skipped; 0 warnings;"))
    }

    /// A `client_secret_post` secret holding spaces travels as `s3cr3t+value+here` in the form body: no
    /// output shows it in any spelling, the HAR least of all, which keeps every request body.
    @Test func aSecretWithSpacesIsMaskedInItsFormSpellingEverywhere() async throws {
        let mock = try await StartedMock.start("oauth2")
        let folder = TestPaths.temporaryDirectory()
        let files = ["report.xml", "report.html", "run.har", "baseline.json"].map {
            folder.appendingPathComponent($0).path
        }
        let result = try await ConformBinary.run(
            [
                "run", TestPaths.suite("oauth2.json"), "--base-url", mock.baseURL, "--format", "json", "--junit",
                files[0], "--report-html", files[1], "--har", files[2], "--write-baseline", files[3],
            ],
            environment: [
                "OAUTH2_CLIENT_ID": mock.environment["OAUTH2_CLIENT_ID"] ?? "",
                "OAUTH2_CLIENT_SECRET": "s3cr3t value here",
                "OAUTH2_CLIENT_AUTH": "client_secret_post",
            ])
        await mock.server.stop()
        #expect(result.status == 1)
        let outputs =
            [result.stdout, result.stderr] + (try files.map { try String(contentsOfFile: $0, encoding: .utf8) })
        for (index, text) in outputs.enumerated() {
            #expect(!text.contains("s3cr3t"), "output \(index) shows the secret")
            #expect(!text.contains("value+here") && !text.contains("value here"), "output \(index) shows its end")
        }
        // It did travel: every request that sent it shows it masked in the form body.
        let har = outputs[4]
        #expect(har.matches(of: /client_secret=\*\*\*/).count >= 5)
        #expect(mock.recorder.requestCount >= 5)
    }

    /// `--write-baseline` records errors as well as failures: a run whose every case had a transport error
    /// passes again with its baseline, the errors shown as known deviations.
    @Test func aBaselineOfErrorsMakesTheRerunPass() async throws {
        let baseline = TestPaths.temporaryDirectory().appendingPathComponent("baseline.json").path
        let arguments = ["run", TestPaths.suite("concur.json"), "--mock-deviation", "close-without-response"]
        let recorded = try await ConformBinary.run(arguments + ["--write-baseline", baseline])
        #expect(recorded.status == 1)
        #expect(recorded.stdout.contains("concur: 6 cases: 0 passed, 0 failed, 6 errors, 0 skipped;"))
        let text = try String(contentsOfFile: baseline, encoding: .utf8)
        #expect(text.matches(of: /"check" : "error"/).count == 6)
        #expect(text.matches(of: /"expected" : "no-response"/).count == 6)
        let rerun = try await ConformBinary.run(arguments + ["--baseline", baseline])
        #expect(rerun.status == 0)
        #expect(
            rerun.stdout.contains(
                "concur: 6 cases: 6 passed, 0 failed, 0 errors, 0 skipped; 0 warnings; 6 known deviations;"))
        #expect(
            rerun.stdout.contains(
                "        known deviation [error:no-response]: the server closed the connection without sending a response\n"
            ))
    }

    /// A latency budget written as a variable is checked before sending in `warn` as in `expect`, and so is
    /// a path taken from a variable: `run` and `lint` exit 2 with the problem at the variable
    /// (`PlanTimeChecksTests` runs both commands on both).
    @Test(arguments: [
        (
            "run", PlanTimeChecksTests.suite(budgetIn: "warn"),
            "suite.json:4:5: error: latency budget ${budget} is \"soon\", not a number of milliseconds above 0\n"
        ),
        (
            "lint", PlanTimeChecksTests.suite(budgetIn: "none", budget: "2000", path: "token"),
            "suite.json:5:5: error: the path ${path} is \"token\"; a path starts with '/' (or is an http(s) URL)\n"
        ),
    ])
    func aValueOnlyAVariableDecidesIsCheckedBeforeSending(command: String, suite: String, problem: String) async throws
    {
        let path = TestPaths.writeSuite(suite)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        let result = try await ConformBinary.run([command, path], in: folder)
        #expect(result.status == 2)
        #expect(result.stderr.replacingOccurrences(of: folder.path + "/", with: "") == problem)
        #expect(result.stdout == "")
    }

    /// `conform merge` adds the times of a suite's shards, which ran one after another.
    @Test func mergeAddsTheShardsTimes() async throws {
        let folder = TestPaths.temporaryDirectory()
        var inputs: [String] = []
        for (index, time) in ["1.500", "2.250", "0.125"].enumerated() {
            let path = folder.appendingPathComponent("shard-\(index).xml").path
            try Data(
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <testsuites><testsuite name="pitchpoint" tests="1" failures="0" errors="0" skipped="0" time="\(time)">
                <testcase name="case \(index)" classname="pitchpoint" time="\(time)"/></testsuite></testsuites>
                """.utf8
            ).write(to: URL(fileURLWithPath: path))
            inputs.append(path)
        }
        let merged = folder.appendingPathComponent("all.xml").path
        let result = try await ConformBinary.run(["merge"] + inputs + ["--junit", merged])
        #expect(result.status == 0)
        #expect(
            result.stdout
                == "merged 3 reports: 1 suite, 3 cases (3 passed, 0 failed, 0 errors, 0 skipped); report \(merged)\n")
        let report = try String(contentsOfFile: merged, encoding: .utf8)
        #expect(report.contains(#"tests="3" failures="0" errors="0" skipped="0" time="3.875">"#))
        #expect(JUnitSchemas.problems(Data(report.utf8)) == [])
    }

    /// `--max-time` running out between two cases, when every case that ran passed, still exits 1: the
    /// cases it did not reach were not checked. The binary is held between its first and second case by a
    /// standard output with room for the suite's first line only, until --max-time has run out.
    @Test func aRunCutBetweenCasesByMaxTimeExitsOne() async throws {
        let folder = TestPaths.temporaryDirectory()
        let report = folder.appendingPathComponent("report.xml").path
        let suite = TestPaths.suite("pitchpoint.json")
        let output = Pipe()
        let errors = Pipe()
        let descriptor = output.fileHandleForWriting.fileDescriptor
        let capacity = Int(fcntl(descriptor, 1032 /* F_GETPIPE_SZ */))
        try #require(capacity > 0)
        // The first line, with a five-digit port (Linux's ephemeral ports), fits with 4 bytes to spare; the
        // first case's line does not, so writing it waits until the pipe is read.
        let header = "pitchpoint (\(suite), embedded mock pitchpoint at http://127.0.0.1:00000)\n"
        let filler = [UInt8](repeating: UInt8(ascii: "."), count: capacity - header.utf8.count - 4)
        try #require(filler.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) } == filler.count)
        let process = Process()
        process.executableURL = ConformBinary.url
        process.arguments = ["run", suite, "--max-time", "0.5", "--junit", report]
        process.environment = ["PATH": "/usr/bin:/bin", "NO_COLOR": "1"]
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let errorText = PipeReader(errors)
        // The mock's note comes after --max-time's clock started and just before the first case, whose line
        // then waits for room in the pipe: a second later, --max-time has run out while nothing was running.
        let started = await Blocking.run {
            PipeReader.waitFor("conform: note: the embedded pitchpoint mock accepts", in: [errorText])
        }
        try #require(started, "the binary never got to its first case")
        try await Task.sleep(for: .seconds(1))
        let console = PipeReader(output)
        let stderr = try await errorText.all()
        let stdout = try await console.all()
        let status = await ConformBinary.finish(process, interrupt: false)
        #expect(status == 1)
        #expect(stderr.contains("conform: --max-time 0.5 s ran out; the reports hold what was done\n"))
        #expect(stdout.contains("  PASS  refresh with valid token ("))
        let cases = try #require(
            try JUnitReader.read(try InputFile.read(report), file: report).suites.first?.testCases)
        #expect(cases.count == 10)
        #expect(cases.first?.result == nil)
        #expect(
            cases.dropFirst().map { $0.result?.message }
                == Array(repeating: "not run: --max-time 0.5 s ran out", count: 9),
            "\(stdout.suffix(2000))")
    }
    /// A JSON Schema counts a string's length in code points: "😀" is one (two UTF-16 units, four bytes), "é"
    /// written as e and U+0301 is two (one character to the eye and to Swift's `count`).
    @Test func aSchemaCountsLengthsInCodePoints() async throws {
        let body = #"{"emoji": "😀", "accent": "e\u0301", "pair": "ab"}"#
        let server = try await MockServer.start(
            FixedEndpoint(response: .full(status: .ok, contentType: "application/json", body: Data(body.utf8))),
            configuration: MockConfiguration())
        let suite = TestPaths.writeSuite(
            """
            {
              "format": 1, "name": "lengths", "defaults": { "latency_budget_ms": 60000 },
              "cases": [
                {
                  "name": "lengths", "request": { "method": "GET", "path": "/" },
                  "expect": { "status": 200, "body": { "json_schema": { "type": "object", "properties": {
                    "emoji": { "minLength": 1, "maxLength": 1 }, "accent": { "maxLength": 1 }, "pair": { "minLength": 2, "maxLength": 2 }
                  } } } }
                }
              ]
            }
            """)
        let result = try await ConformBinary.run(["run", suite, "--base-url", server.baseURL.absoluteString])
        await server.stop()
        #expect(result.status == 1)
        let failures = result.stdout.split(separator: "\n").filter { $0.contains("failure [") }
        #expect(failures == [#"        failure [body]: json_schema: accent: expected at most 1 character, got 2: "é""#])
    }

    /// Answers the Pitchpoint mock's requests 0, 5, 10 … 45 ms late, in turn: ten samples whose p90 and p99
    /// differ.
    final class SteppedEndpoint: MockEndpoint {
        let inner = PitchpointMock(configuration: MockConfiguration())
        private let count = NIOLockedValueBox(0)
        var credentials: MockCredentials { inner.credentials }
        var usesUpCredentials: Bool { false }
        func respond(to request: MockRequest) -> MockResponse { inner.respond(to: request) }
        func processingTime(for request: MockRequest) -> Duration {
            let index = count.withLockedValue { count in
                defer { count += 1 }
                return count % 10
            }
            return .milliseconds(5 * index)
        }
    }

    /// JUnit's `<case>.latency.p99_ms` is the p99 the JSON results show, not another statistic: over ten
    /// samples, p99 is the slowest and p90 the one before it.
    @Test func junitP99IsTheP99OfTheJSONResults() async throws {
        let server = try await MockServer.start(SteppedEndpoint(), configuration: MockConfiguration())
        let report = TestPaths.temporaryDirectory().appendingPathComponent("report.xml").path
        let result = try await ConformBinary.run(
            [
                "run", TestPaths.fixtureSuite("pitchpoint-refresh-only.json"), "--base-url",
                server.baseURL.absoluteString, "--repeat", "10", "--format", "json", "--junit", report,
            ], environment: ["PITCHPOINT_REFRESH_TOKEN": server.credentials.value("PITCHPOINT_REFRESH_TOKEN")])
        await server.stop()
        #expect(result.stderr.contains("refresh with valid token (200, 10 samples, "))
        let json = try JSONDecoder.snakeCase.decode(JSONResults.self, from: Data(result.stdout.utf8))
        let latency = try #require(json.suites.first?.cases.first?.latency)
        let xml = try String(contentsOfFile: report, encoding: .utf8)
        func property(_ key: String) -> String? {
            guard let regex = try? Regex(#"name="refresh with valid token\.latency\.\#(key)" value="([0-9.]+)""#)
            else { return nil }
            return xml.firstMatch(of: regex).flatMap { $0.output[1].substring.map(String.init) }
        }
        let p99 = try #require(latency["p99_ms"])
        let p90 = try #require(latency["p90_ms"])
        // JUnit shows two decimals, JSON three: the same figure within rounding.
        func junit(_ key: String) -> Double { property(key).flatMap(Double.init) ?? -1 }
        #expect(property("samples") == "10")
        // Apart by far more than JUnit's two decimals (the delays alone are 5 ms apart): a JUnit p99 that
        // carried p90 would show.
        #expect(p99 - p90 >= 0.02, "\(latency)")
        #expect(abs(junit("p99_ms") - p99) <= 0.0051)
        #expect(abs(junit("p90_ms") - p90) <= 0.0051)
        #expect(abs(junit("max_ms") - (latency["max_ms"] ?? -1)) <= 0.0051)
    }
}
