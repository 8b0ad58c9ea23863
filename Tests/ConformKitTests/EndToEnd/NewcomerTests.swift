import Foundation
import Testing

@testable import ConformJSON
@testable import ConformJSONSchema
@testable import ConformKit
@testable import ConformSupport

/// What cost a newcomer time (issue 20): lint offline, one right error for a bad --base-url or scheme, a
/// block's mistake said once, environment names in --var-file, help texts. The real binary, as a user runs it.
@Suite(.temporaryDirectories) struct NewcomerTests {
    /// A suite with neither a mock nor a base_url, whose only case sends a required secret.
    static let offlineSuite = """
        {
          "format": 1,
          "name": "offline",
          "variables": {
            "api_key": { "value": "${env:OFFLINE_API_KEY}", "secret": true }
          },
          "blocks": {
            "token_request": { "method": "POST", "path": "/token", "form": { "key": "${api_key}" } }
          },
          "cases": [
            { "name": "one", "request": { "use": "token_request" }, "expect": { "status": 200 } }
          ]
        }
        """

    static func write(_ text: String, _ name: String, in folder: URL) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func lintChecksASuiteWithoutTargetOrSecretsOffline() async throws {
        let folder = TestPaths.temporaryDirectory()
        _ = try Self.write(Self.offlineSuite, "suite.json", in: folder)
        let lint = try await ConformBinary.run(["lint", "suite.json"], in: folder)
        #expect(lint.stderr == "")
        #expect(lint.status == 0)
        #expect(lint.stdout == "suite.json: ok, 1 case \(ConformLint.noTarget)\n")
        // run still needs both, and says so once each.
        let run = try await ConformBinary.run(["run", "suite.json"], in: folder)
        #expect(run.status == 2)
        #expect(
            run.stderr
                == "conform: error: suite.json: the suite has neither a 'mock' nor a 'base_url'; pass --base-url URL\n")
        // A --var name must still be declared; the selection is still checked.
        let misspelt = try await ConformBinary.run(["lint", "suite.json", "--var", "api_kee=x"], in: folder)
        #expect(misspelt.status == 2)
        #expect(
            misspelt.stderr
                == "conform: error: --var api_kee: no suite defines a variable 'api_kee'; did you mean 'api_key'?\n")
        let unmatched = try await ConformBinary.run(["lint", "suite.json", "--filter", "^two$"], in: folder)
        #expect(unmatched.status == 2)
        #expect(unmatched.stderr == "conform: error: no case matches --filter \"^two$\"\n")
    }

    @Test func lintHelpListsWhatLintUsesAndStillAcceptsRunsOptions() async throws {
        let help = try await ConformBinary.run(["lint", "--help"])
        #expect(help.status == 0)
        for shown in ["--base-url <url>", "--var-file <path>", "--filter <regex>", "--shard <i/n>", "Example:"] {
            #expect(help.stdout.contains(shown), "\(shown)")
        }
        for hidden in ["--junit", "--repeat", "--cacert", "--har", "--timeout"] {
            #expect(!help.stdout.contains(hidden), "\(hidden)")
        }
        let accepted = try await ConformBinary.run([
            "lint", TestPaths.suite("oauth2.json"), "--repeat", "3", "--insecure",
        ])
        #expect(accepted.stderr == "")
        #expect(accepted.status == 0)
    }

    @Test func runHelpGroupsItsOptionsAndNamesEveryExitCode() async throws {
        let help = try await ConformBinary.run(["run", "--help"])
        #expect(help.status == 0)
        let text = help.stdout
        let titles = ["TARGET:", "VARIABLES:", "SELECTION:", "REPORTS:", "TIMING:", "TLS & PROXY:"]
        let places = titles.compactMap { text.range(of: $0, options: .caseInsensitive)?.lowerBound }
        #expect(places.count == titles.count, "\(text)")
        #expect(places == places.sorted())
        for code in ["  0 ", "  1 ", "  2 ", "  130 ", "  143 "] { #expect(text.contains(code), "\(code)") }
        #expect(text.contains("Examples:"))
        // One placeholder style: lowercase words in angle brackets.
        let placeholders = Set(text.matches(of: /<([^>]+)>/).map { String($0.output.1) })
        #expect(placeholders.allSatisfy { $0 == $0.lowercased() }, "\(placeholders)")
        #expect(placeholders.isSuperset(of: ["url", "path", "seconds", "n", "regex", "name=value"]))
    }

    @Test func mergeShowsItsJunitAsRequiredAndMockListsEveryMock() async throws {
        let merge = try await ConformBinary.run(["merge", "--help"])
        #expect(merge.stdout.contains("USAGE: conform merge [<report> ...] --junit <path>"), "\(merge.stdout)")
        #expect(merge.stdout.contains("Example:"))
        let missing = try await ConformBinary.run(["merge", "a.xml"])
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("Error: Missing expected argument '--junit <path>'"))
        let mock = try await ConformBinary.run(["mock", "--help"])
        #expect(mock.stdout.contains("The mock to serve: pitchpoint, concur, oauth2, oidc."))
        let unnamed = try await ConformBinary.run(["mock"])
        #expect(unnamed.status == 2)
        #expect(unnamed.stderr.hasPrefix("Error: name a mock: conform mock pitchpoint|concur|oauth2|oidc"))
    }

    @Test func aBadBaseURLIsOneError() async throws {
        let folder = TestPaths.temporaryDirectory()
        _ = try Self.write(Self.offlineSuite, "suite.json", in: folder)
        let run = try await ConformBinary.run(["run", "suite.json", "--base-url", "localhost:8080"], in: folder)
        #expect(run.status == 2)
        #expect(
            run.stderr
                == "conform: error: --base-url \"localhost:8080\" is not an absolute URL such as https://api.example.com\n"
        )
    }

    @Test func aMistakeInASharedBlockIsSaidOnce() async throws {
        let folder = TestPaths.temporaryDirectory()
        let suite = """
            {
              "format": 1,
              "name": "blocks",
              "mock": "oauth2",
              "blocks": { "ok": { "status": "two hundred" } },
              "cases": [
                { "name": "a", "request": { "method": "GET", "path": "/a" }, "expect": { "use": "ok" } },
                { "name": "b", "request": { "method": "GET", "path": "/b" }, "expect": { "use": "ok" } },
                { "name": "c", "request": { "method": "GET", "path": "/c" }, "expect": { "use": "ok" } }
              ]
            }
            """
        _ = try Self.write(suite, "suite.json", in: folder)
        let lint = try await ConformBinary.run(["lint", "suite.json"], in: folder)
        #expect(lint.status == 2)
        let lines = lint.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(lint.stderr)")
        #expect(
            lint.stderr
                == "suite.json:5:33: error: 'status' must be a status code (100-599), a class such as \"4xx\", or an "
                + "array of them; got string \"two hundred\"\n")
    }

    /// The mock's own NAME=VALUE lines (environment names) work as a --var-file.
    @Test func aVarFileTakesTheEnvironmentNamesTheSuiteReads() async throws {
        let folder = TestPaths.temporaryDirectory()
        let (mock, lines) = try await ConformBinary.start(["mock", "pitchpoint"], lines: 5)
        defer { Task { _ = await ConformBinary.finish(mock) } }
        try #require(lines.count == 5, "\(lines)")
        let file = try Self.write(lines.dropFirst().joined(separator: "\n") + "\n", "mock.env", in: folder)
        #expect(lines[1].hasPrefix("PITCHPOINT_"))
        let run = try await ConformBinary.run(
            [
                "run", TestPaths.suite("pitchpoint.json"), "--base-url", lines[0], "--var-file", file, "--filter",
                "^refresh with valid token$", "--junit", "r.xml",
            ], in: folder)
        #expect(run.stderr == "")
        #expect(run.status == 0)
        let misspelt = try Self.write("PITCHPOINT_REFRESH_TOKN=x\n", "bad.env", in: folder)
        let refused = try await ConformBinary.run(
            ["lint", TestPaths.suite("pitchpoint.json"), "--var-file", misspelt])
        #expect(refused.status == 2)
        #expect(
            refused.stderr
                == "\(misspelt):1: error: no suite defines a variable 'PITCHPOINT_REFRESH_TOKN'; did you mean 'PITCHPOINT_REFRESH_TOKEN'?\n"
        )
    }

    /// `https://` to the plain mock, `http://` to the TLS mock: one message that names the right URL.
    @Test(arguments: [false, true])
    func theWrongSchemeIsNamed(_ tls: Bool) async throws {
        let folder = TestPaths.temporaryDirectory()
        let (mock, lines) = try await ConformBinary.start(
            ["mock", "pitchpoint"] + (tls ? ["--tls"] : []), lines: tls ? 6 : 5)
        defer { Task { _ = await ConformBinary.finish(mock) } }
        try #require(lines.count == (tls ? 6 : 5), "\(lines)")
        let served = try #require(URL(string: lines[0]))
        let port = try #require(served.port)
        let wrong = tls ? "http://127.0.0.1:\(port)" : "https://127.0.0.1:\(port)"
        let right = tls ? "https://127.0.0.1:\(port)" : "http://127.0.0.1:\(port)"
        let file = try Self.write(
            lines.dropFirst().filter { !$0.hasPrefix("CONFORM_") }.joined(separator: "\n") + "\n", "mock.env",
            in: folder)
        let run = try await ConformBinary.run(
            [
                "run", TestPaths.suite("pitchpoint.json"), "--base-url", wrong, "--var-file", file, "--filter",
                "^refresh with valid token$", "--junit", "r.xml",
            ], in: folder)
        #expect(run.status == 1)
        let said =
            tls
            ? "the server answered with TLS; did you mean \(right)?"
            : "the server answered in plain HTTP; did you mean \(right)?"
        #expect(run.stdout.contains(said), "\(run.stdout)")
        #expect(!run.stdout.contains("protocol version"))
        #expect(!run.stdout.contains("closed the connection without"))
    }

    /// The HAR of a real run: one page per suite, every entry's outcome in its comment, the samples of the
    /// comparison labelled with it; still HAR 1.2.
    @Test func theHARSaysEachEntrysSuiteCaseAndOutcome() async throws {
        let folder = TestPaths.temporaryDirectory()
        let run = try await ConformBinary.run(
            [
                "run", TestPaths.suite("pitchpoint.json"), TestPaths.suite("oauth2.json"), "--mock-deviation",
                "expires-in-string", "--har", "run.har", "--junit", "r.xml",
            ], in: folder)
        #expect(run.status == 1, "\(run.stderr)")
        let data = try InputFile.read(folder.appendingPathComponent("run.har").path)
        let schema = try JSONSchema.load(
            contentsOf: TestPaths.fixtures.appendingPathComponent("har/har-1.2.schema.json").path,
            options: .init(formatAssertion: true)
        ).get()
        let document = try #require(JSONValue.decode(data))
        #expect(schema.validate(document).map(\.description) == [])
        guard case .object(let root) = document, case .object(let log)? = root["log"],
            case .array(let pages)? = log["pages"], case .array(let entries)? = log["entries"]
        else { throw Failure("no pages or entries") }
        let ids = pages.compactMap { page -> String? in
            if case .object(let fields) = page, case .string(let id)? = fields["id"] { return id } else { return nil }
        }
        #expect(ids == ["pitchpoint", "oauth2"])
        var comments: [String] = []
        for entry in entries {
            guard case .object(let fields) = entry, case .string(let page)? = fields["pageref"],
                case .string(let comment)? = fields["comment"]
            else { throw Failure("an entry without pageref or comment") }
            #expect(ids.contains(page))
            comments.append(comment)
        }
        #expect(
            comments.contains {
                $0.hasPrefix("case 'refresh with valid token': failed: body: ")
            }, "\(comments.prefix(3))")
        #expect(comments.contains("case 'invalid refresh token is refused': passed"), "\(comments.prefix(3))")
        let comparison = comments.filter { $0.contains("for the comparison 'refresh is faster than sign-in'") }
        #expect(comparison.count == 40)
        #expect(comparison.contains { $0.hasPrefix("sample of case 'sign in with username and password' for the") })
    }

    /// The real binary on a pseudo-terminal 40 columns wide (util-linux `script`): every progress line drawn
    /// takes 39 columns at most, so no redraw wraps.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func theProgressLineFitsARealTerminal() async throws {
        let folder = TestPaths.temporaryDirectory()
        let command =
            "stty cols 40 rows 20; exec '\(ConformBinary.url.path)' run '\(TestPaths.suite("pitchpoint.json"))' "
            + "--filter 'refresh with valid token' --repeat 1500 --junit r.xml"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qfc", command, "/dev/null"]
        process.currentDirectoryURL = folder
        process.environment = ["PATH": "/usr/bin:/bin", "NO_COLOR": "1", "TERM": "xterm"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let reader = output.fileHandleForReading
        let data = await Blocking.run { reader.readDataToEndOfFile() }
        await Blocking.run { process.waitUntilExit() }
        let text = String(decoding: data, as: UTF8.self)
        let drawn = text.components(separatedBy: "\r\u{1B}[K").filter { $0.hasPrefix("pitchpoint [") }
            .map { $0.prefix { $0 != "\r" && $0 != "\n" } }
        #expect(!drawn.isEmpty, "\(text.prefix(400))")
        #expect(drawn.allSatisfy { $0.count <= 39 }, "\(drawn.map(\.count))")
        #expect(drawn.contains { $0.count == 39 && $0.hasSuffix("…") })
    }
}
