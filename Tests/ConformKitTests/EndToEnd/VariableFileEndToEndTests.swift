import Foundation
import Testing

@testable import ConformKit

/// `--var-file`: values below `--var` and above the environment; problems stop the run before sending.
@Suite(.temporaryDirectories) struct VariableFileEndToEndTests {
    /// One request that shows every variable's value in its query.
    static let suite = """
        {
          "format": 1,
          "name": "files",
          "variables": {
            "a": { "value": "${env:CONFORM_T_A}", "default": "default-a" },
            "b": { "value": "${env:CONFORM_T_B}", "default": "default-b" },
            "c": { "value": "${env:CONFORM_T_C}", "default": "default-c" },
            "d": { "value": "${env:CONFORM_T_D}", "default": "default-d" },
            "e": { "value": "${env:CONFORM_T_E}", "default": "default-e" },
            "token": { "value": "${env:CONFORM_T_TOKEN}", "secret": true }
          },
          "cases": [
            {
              "name": "show the values",
              "request": {
                "method": "GET", "path": "/token",
                "query": { "a": "${a}", "b": "${b}", "c": "${c}", "d": "${d}", "e": "${e}", "token": "${token}" }
              },
              "expect": { "status": 200 }
            }
          ]
        }
        """

    static let environment = [
        "CONFORM_T_B": "env-b", "CONFORM_T_C": "env-c", "CONFORM_T_D": "env-d", "CONFORM_T_E": "env-e",
    ]
    static let secret = "tok-5ecret-from-file"

    static func write(_ text: String, _ name: String, in folder: URL) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A server that answers 200 to anything and counts what it got.
    static func server() async throws -> (MockServer, RecordingEndpoint) {
        let recorder = RecordingEndpoint(
            FixedEndpoint(response: .full(status: .ok, contentType: "text/plain", body: Data("ok".utf8))))
        return (try await MockServer.start(recorder, configuration: MockConfiguration()), recorder)
    }

    @Test func varBeatsLaterFilesBeatEarlierFilesBeatTheEnvironmentBeatsDefaults() async throws {
        let folder = TestPaths.temporaryDirectory()
        let suite = try Self.write(Self.suite, "suite.json", in: folder)
        let first = try Self.write(
            "c=file1-c\nd=file1-d\ne=file1-e\nexport token='\(Self.secret)'\n", "first.env", in: folder)
        let second = try Self.write("# later\nd=\"file2-d\"\ne=file2-e\n", "second.env", in: folder)
        let (server, recorder) = try await Self.server()
        let outcome = await runConform(
            [suite],
            arguments: {
                $0.baseURL = server.baseURL.absoluteString
                $0.variableFiles = [first, second]
                $0.variables = ["e=cli-e"]
                $0.format = .json
            }, environment: Self.environment)
        await server.stop()
        #expect(outcome.status == .passed, "\(outcome.stderr)")
        #expect(recorder.requestCount == 1)
        let results = try JSONDecoder.snakeCase.decode(JSONResults.self, from: Data(outcome.stdout.utf8))
        #expect(
            results.suites.first?.cases.first?.request
                == "GET \(server.baseURL.absoluteString)/token?a=default-a&b=env-b&c=file1-c&d=file2-d&e=cli-e&token=***"
        )
        // The secret from the file is masked everywhere.
        #expect(!outcome.everything.contains(Self.secret))
    }

    /// A syntax error is located and nothing is sent; lint says the same.
    @Test func aSyntaxErrorExitsTwoBeforeSending() async throws {
        let folder = TestPaths.temporaryDirectory()
        let suite = try Self.write(Self.suite, "suite.json", in: folder)
        let file = try Self.write("a=1\n\ntoken=\"\(Self.secret)\n", "vars.env", in: folder)
        let (server, recorder) = try await Self.server()
        let outcome = await runConform(
            [suite],
            arguments: {
                $0.baseURL = server.baseURL.absoluteString
                $0.variableFiles = [file]
            }, environment: Self.environment)
        await server.stop()
        #expect(outcome.status == .invalid)
        #expect(recorder.requestCount == 0)
        let expected =
            "\(file):3: error: token: unterminated double-quoted value (a value is one line; write a line break as \\n in double quotes)\n"
        #expect(outcome.stderr == expected)
        #expect(!outcome.everything.contains(Self.secret))
        let lint = try await ConformBinary.run(["lint", suite, "--var-file", file, "--base-url", "http://127.0.0.1:9"])
        #expect(lint.status == 2)
        #expect(lint.stderr == expected)
    }

    @Test func aNameNoSuiteDefinesIsAnErrorAtItsLine() async throws {
        let folder = TestPaths.temporaryDirectory()
        let file = try Self.write("refresh_token=AMf-from-the-file\nrefresh_tokn=y\n", "vars.env", in: folder)
        let outcome = await runConform([TestPaths.suite("pitchpoint.json")]) { $0.variableFiles = [file] }
        #expect(outcome.status == .invalid)
        #expect(
            outcome.stderr
                == "\(file):2: error: no suite defines a variable 'refresh_tokn'; did you mean 'refresh_token'?\n")
    }

    /// Read like every input: a FIFO is refused without blocking, a missing file named.
    @Test func onlyARegularFileIsRead() async throws {
        let folder = TestPaths.temporaryDirectory()
        let fifo = try TestPaths.fifo(in: folder, named: "vars.env")
        let missing = folder.appendingPathComponent("missing.env").path
        let outcome = await runConform([TestPaths.suite("pitchpoint.json")]) { $0.variableFiles = [fifo, missing] }
        #expect(outcome.status == .invalid)
        #expect(
            outcome.stderr == """
                conform: error: --var-file \(fifo): it is a FIFO (named pipe), not a regular file
                conform: error: --var-file \(missing): no such file

                """)
    }

    /// A report written over a variable file would destroy it.
    @Test func aReportPathThatIsAVariableFileIsRefused() async throws {
        let folder = TestPaths.temporaryDirectory()
        let file = try Self.write("refresh_token=AMf-from-the-file\n", "vars.env", in: folder)
        let outcome = await runConform([TestPaths.suite("pitchpoint.json")]) {
            $0.variableFiles = [file]
            $0.junitPath = file
        }
        #expect(outcome.status == .invalid)
        #expect(
            outcome.stderr
                == "conform: error: --junit \(file) is \(file), an input of this run: conform would replace it\n")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "refresh_token=AMf-from-the-file\n")
    }

    /// The real binary takes the option, repeated, in run and lint.
    @Test func theCommandLineTakesRepeatedVarFiles() async throws {
        let folder = TestPaths.temporaryDirectory()
        let first = try Self.write("refresh_token=from-file\n", "a.env", in: folder)
        let second = try Self.write("username=someone\n", "b.env", in: folder)
        let lint = try await ConformBinary.run([
            "lint", TestPaths.suite("pitchpoint.json"), "--live", "--var-file", first, "--var-file", second,
        ])
        #expect(lint.stderr == "")
        #expect(lint.status == 0)
        // The second file is read too: a misspelt name in it is found, and only that (the first file's
        // refresh_token is set).
        let misspelt = try Self.write("refresh_tokn=y\n", "c.env", in: folder)
        let refused = try await ConformBinary.run([
            "lint", TestPaths.suite("pitchpoint.json"), "--live", "--var-file", first, "--var-file", misspelt,
        ])
        #expect(refused.status == 2)
        #expect(
            refused.stderr
                == "\(misspelt):1: error: no suite defines a variable 'refresh_tokn'; did you mean 'refresh_token'?\n")
    }
}
