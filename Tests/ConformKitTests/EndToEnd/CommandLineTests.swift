import Foundation
import Testing

@testable import ConformKit
@testable import ConformSupport

@Suite(.temporaryDirectories) struct CommandLineTests {
    @Test func printsItsVersion() async throws {
        let result = try await ConformBinary.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout == "\(ConformDefaults.version)\n")
    }

    @Test func aBadFlagExitsTwo() async throws {
        let result = try await ConformBinary.run(["run", "--bogus", TestPaths.suite("pitchpoint.json")])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("Error: Unknown option '--bogus'"))
    }

    /// Values that used to trap (an overflowing conversion to nanoseconds, a port past 65535) exit 2 with a
    /// message, from the real binary.
    @Test func outOfRangeNumbersExitTwoWithAMessage() async throws {
        let result = try await ConformBinary.run([
            "run", TestPaths.suite("pitchpoint.json"), "--timeout", "1e20", "--mock-delay-ms", "nan",
            "--max-body", "0", "--repeat", "10000000", "--concurrency", "100000",
        ])
        #expect(result.status == 2)
        #expect(
            result.stderr == """
                conform: error: --timeout must be a number of seconds above 0 and at most 3600, got 1e+20
                conform: error: --max-body must be from 1 to 1073741824 bytes, got 0
                conform: error: --repeat must be from 1 to 1000000, got 10000000
                conform: error: --concurrency must be from 1 to 1024, got 100000
                conform: error: --mock-delay-ms must be a number of milliseconds from 0 to 600000, got nan

                """)
        for timeout in ["inf", "-inf", "nan", "0"] {
            let refused = try await ConformBinary.run(["lint", TestPaths.suite("pitchpoint.json"), "--timeout=\(timeout)"])
            #expect(refused.status == 2)
            #expect(refused.stderr.hasPrefix("conform: error: --timeout must be a number of seconds above 0"))
        }
        let port = try await ConformBinary.run(["run", TestPaths.suite("pitchpoint.json"), "--base-url", "http://127.0.0.1:99999"])
        #expect(port.status == 2)
        #expect(
            port.stderr.hasPrefix(
                #"conform: error: --base-url "http://127.0.0.1:99999" has port 99999; a port is 1 to 65535"#))
        let mock = try await ConformBinary.run(["mock", "pitchpoint", "--delay-ms", "inf"])
        #expect(mock.status == 2)
        #expect(mock.stderr == "conform: error: --delay-ms must be a number of milliseconds from 0 to 600000, got inf\n")
    }

    @Test func aMissingValueExitsTwo() async throws {
        let result = try await ConformBinary.run(["run", TestPaths.suite("pitchpoint.json"), "--timeout", "soon"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("Error: The value 'soon' is invalid for '--timeout <seconds>'"))
    }

    @Test func writesDefaultReportsUnderTheWorkingDirectory() async throws {
        let folder = TestPaths.temporaryDirectory()
        let result = try await ConformBinary.run(
            ["run", TestPaths.suite("pitchpoint.json"), TestPaths.suite("concur.json")], in: folder)
        #expect(result.status == 0)
        #expect(
            result.stderr.split(separator: "\n").map { $0.prefix(46) } == [
                "conform: note: the embedded pitchpoint mock ac", "conform: note: the embedded concur mock accept",
            ])
        #expect(!result.stderr.contains("PASSWORD=pw-") && !result.stderr.contains("SECRET=cs-"))
        for name in ["pitchpoint", "concur"] {
            let report =
                FileManager.default.contents(atPath: folder.appendingPathComponent("reports/\(name).xml").path)
                ?? Data()
            #expect(JUnitSchemas.problems(report) == [])
            #expect(result.stdout.contains("; report reports/\(name).xml\n"))
        }
    }

    @Test func failingRunExitsOne() async throws {
        let folder = TestPaths.temporaryDirectory()
        let result = try await ConformBinary.run(
            ["run", TestPaths.suite("pitchpoint.json"), "--mock-deviation", "expires-in-string"], in: folder)
        #expect(result.status == 1)
    }

    @Test func colourOnlyOnATerminal() async throws {
        let result = try await ConformBinary.run([
            "run", TestPaths.suite("concur.json"), "--junit",
            TestPaths.temporaryDirectory().appendingPathComponent("r.xml").path,
        ])
        #expect(!result.stdout.contains("\u{1B}["))
    }

    @Test func completionsComeFromArgumentParser() async throws {
        let result = try await ConformBinary.run(["--generate-completion-script", "bash"])
        #expect(result.status == 0)
        for word in ["run", "lint", "merge", "mock", "--shard", "--report-html", "--format"] {
            #expect(result.stdout.contains(word), "\(word)")
        }
    }

    @Test func lintAndMergeFollowTheExitContract() async throws {
        let lint = try await ConformBinary.run(["lint", TestPaths.suite("pitchpoint.json"), TestPaths.suite("concur.json")])
        #expect(lint.status == 0)
        #expect(
            lint.stdout
                == "\(TestPaths.suite("pitchpoint.json")): ok, 10 cases against the embedded pitchpoint mock\n\(TestPaths.suite("concur.json")): ok, 6 cases against the embedded concur mock\n"
        )
        let badLint = try await ConformBinary.run(["lint", TestPaths.suite("pitchpoint.json"), "--tag", "has space"])
        #expect(badLint.status == 2)
        #expect(badLint.stderr == "conform: error: \"has space\" is not a tag: letters, digits, '_', '-' and '.'\n")
        let merge = try await ConformBinary.run(["merge", "nothing.xml"])
        #expect(merge.status == 2)
        #expect(merge.stderr.hasPrefix("Error: Missing expected argument '--junit <path>'"))
    }

    @Test func listsTheDeviations() async throws {
        let result = try await ConformBinary.run(["mock", "--list-deviations"])
        #expect(result.status == 0)
        let deviations: Int = 5 + 9 + 13 + 9 + 15
        #expect(result.stdout.split(separator: "\n").count == deviations)
        #expect(
            result.stdout.contains(
                "expires-in-string        pitchpoint          success bodies carry \"expires_in\": \"3600\" (a string)")
        )
    }

    @Test func anUnknownMockExitsTwo() async throws {
        let result = try await ConformBinary.run(["mock", "pitchpoynt"])
        #expect(result.status == 2)
        #expect(
            result.stderr
                == "conform: error: unknown mock 'pitchpoynt'; did you mean 'pitchpoint'? (known mocks: pitchpoint, concur, oauth2, oidc)\n"
        )
    }

    /// The standalone mock prints its base URL and then shell assignments; a live-mode run with them
    /// passes; SIGINT stops the mock with status 0.
    @Test(arguments: ["pitchpoint", "concur"])
    func standaloneMockServesALiveRun(vendor: String) async throws {
        // Pitchpoint's mock also gives the path of its key set (PITCHPOINT_JWKS_URL), which the run then fetches.
        let count = vendor == "pitchpoint" ? 5 : 4
        let (mock, lines) = try await ConformBinary.start(["mock", vendor, "--port", "0"], lines: count)
        guard lines.count == count else {
            _ = await ConformBinary.finish(mock)
            Issue.record("the mock printed \(lines)")
            return
        }
        #expect(lines[0].hasPrefix("http://127.0.0.1:"))
        var environment: [String: String] = [:]
        for line in lines.dropFirst() {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            try #require(parts.count == 2)
            #expect(parts[0].hasPrefix(vendor.uppercased() + "_"))
            environment[parts[0]] = parts[1]
        }
        let report = TestPaths.temporaryDirectory().appendingPathComponent("r.xml").path
        let run = try await ConformBinary.run(
            ["run", TestPaths.suite("\(vendor).json"), "--base-url", lines[0], "--junit", report],
            environment: environment)
        #expect(run.status == 0)
        #expect(run.stdout.contains("0 failed, 0 errors, 0 skipped"))
        for (name, value) in environment
        where name.hasSuffix("TOKEN") || name.hasSuffix("SECRET") || name.hasSuffix("PASSWORD") {
            #expect(!run.stdout.contains(value))
        }
        #expect(await ConformBinary.finish(mock) == 0)
    }
}
