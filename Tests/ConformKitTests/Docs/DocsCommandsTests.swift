import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The docs cannot drift from the binary: every `sh` block of the README and of `docs/*.md` is run against
/// the embedded mocks, each `conform` line with the exit status its `# exits N` comment promises (else 0),
/// and every `conform` command shown anywhere else names a subcommand and options that exist.
@Suite(.temporaryDirectories) struct DocsCommandsTests {
    static let subcommands = ["run", "lint", "merge", "mock"]

    static func allBlocks() throws -> [DocsBlock] {
        let root = TestPaths.packageRoot
        return try DocsBlock.documentationFiles(in: root).flatMap { file in
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            return DocsBlock.blocks(of: file, text: text)
        }
    }

    @Test func everyShownCommandNamesOptionsThatExist() async throws {
        // Each subcommand's options, as its --help lists them.
        var helps: [String: Set<String>] = [:]
        for subcommand in Self.subcommands {
            let help = try await ConformBinary.run([subcommand, "--help"]).stdout
            helps[subcommand] = Set(help.matches(of: /--[a-z][a-z0-9-]*/).map { String($0.output) })
        }
        var checked = 0
        for block in try Self.allBlocks() {
            for command in block.commands {
                guard let parsed = DocsCommand(command.text) else { continue }
                guard let help = helps[parsed.subcommand] else {
                    Issue.record("\(block.file):\(command.line): no subcommand '\(parsed.subcommand)': \(command.text)")
                    continue
                }
                for option in parsed.options where !help.contains(option) {
                    Issue.record(
                        "\(block.file):\(command.line): conform \(parsed.subcommand) has no option \(option): \(command.text)")
                }
                checked += 1
            }
        }
        let root = TestPaths.packageRoot
        for file in try DocsBlock.documentationFiles(in: root) {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            for (index, line) in text.components(separatedBy: "\n").enumerated() {
                for span in line.matches(of: /`(conform [^`]+)`/) {
                    guard let parsed = DocsCommand(String(span.output.1)), let help = helps[parsed.subcommand] else {
                        continue
                    }
                    for option in parsed.options where !help.contains(option) {
                        Issue.record("\(file):\(index + 1): conform \(parsed.subcommand) has no option \(option)")
                    }
                    checked += 1
                }
            }
        }
        // The docs show about a hundred commands; a parser that finds none would pass everything.
        #expect(checked > 40)
    }

    @Test func everyShellBlockRunsAsDocumented() async throws {
        // A page is followed as a reader follows it: its blocks in order, in one shell, so that what one block
        // exports or starts the next can use.
        let pages = Dictionary(grouping: try Self.allBlocks().filter { $0.language == "sh" }, by: \.file)
        #expect(pages.values.joined().count >= 8)
        for (file, blocks) in pages.sorted(by: { $0.key < $1.key }) {
            let folder = TestPaths.temporaryDirectory()
            try FileManager.default.createSymbolicLink(
                at: folder.appendingPathComponent("suites"),
                withDestinationURL: TestPaths.packageRoot.appendingPathComponent("suites"))
            let script = DocsScript(blocks: blocks, ports: try Self.freePorts(4)).text
            let result = try await Self.bash(script, in: folder)
            #expect(result.status == 0, "\(file):\n\(result.stderr)\(result.stdout)")
        }
    }

    @Test func theScriptChecksEachStatusAndWaitsForMocks() {
        let block = DocsBlock(
            file: "x.md", line: 10, language: "sh",
            lines: [
                "conform mock oauth2 --port 8081 > oauth2.env &",
                "conform run suites/a.json \\", "  --base-url http://127.0.0.1:8081   # exits 1",
            ])
        #expect(
            DocsScript(blocks: [block], ports: [40001]).commands == [
                "conform mock oauth2 --port 40001 > oauth2.env &",
                "__docs_wait_for oauth2.env",
                "conform run suites/a.json --base-url http://127.0.0.1:40001   # exits 1",
                "__docs_status $? 1 'x.md:11'",
            ])
    }

    @Test func readsCommandsOptionsAndStatuses() {
        #expect(
            DocsCommand("$ FOO=1 conform run [--base-url URL | --live] --var=x --junit reports/a.xml # --not-this")
                == DocsCommand(subcommand: "run", options: ["--base-url", "--live", "--var", "--junit"]))
        #expect(DocsCommand("swift build -c release") == nil)
        #expect(DocsCommand.expectedStatus(of: "conform run a.json   # exits 1: it fails") == 1)
        #expect(DocsCommand.expectedStatus(of: "conform run a.json") == 0)
    }

    /// Every deviation `conform mock --list-deviations` names has its row in the table of docs/suites.md, and
    /// the table names no other.
    @Test func theDeviationTableListsEveryDeviation() async throws {
        let listed = try await ConformBinary.run(["mock", "--list-deviations"]).stdout
            .split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        let docs = try String(
            contentsOf: TestPaths.packageRoot.appendingPathComponent("docs/suites.md"), encoding: .utf8)
        let rows = Set(docs.matches(of: /\n\| `([a-z0-9-]+)` \|/).map { String($0.output.1) })
        #expect(listed.count > 30)
        #expect(Set(listed).subtracting(rows).sorted() == [])
        #expect(rows.subtracting(listed).sorted() == [])
    }

    /// The README's example files are the files in the repository, so that its tour runs what it shows.
    @Test func theReadmesExampleFilesAreTheRepositorysFiles() throws {
        let root = TestPaths.packageRoot
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let blocks = DocsBlock.blocks(of: "README.md", text: readme).filter { $0.language == "json" }
        let lines = readme.components(separatedBy: "\n")
        var compared = 0
        for block in blocks {
            // The sentence that introduces the block names its file: `suites/examples/…`.
            let introduction = lines[max(0, block.line - 5)..<(block.line - 1)].joined(separator: " ")
            guard let match = introduction.firstMatch(of: /`(suites\/examples\/[^`]+\.json)`/) else { continue }
            let file = try String(contentsOf: root.appendingPathComponent(String(match.output.1)), encoding: .utf8)
            #expect(block.lines.joined(separator: "\n") + "\n" == file, "\(match.output.1)")
            compared += 1
        }
        #expect(compared == 2)
    }

    /// Ports nothing listens on: the kernel's choice for sockets bound to port 0, all held until each is known.
    static func freePorts(_ count: Int) throws -> [Int] {
        var sockets: [Int32] = []
        defer { sockets.forEach { close($0) } }
        return try (0..<count).map { _ in
            let handle = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            sockets.append(handle)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                    bind(handle, pointer, length) == 0 && getsockname(handle, pointer, &length) == 0
                }
            }
            guard bound else { throw POSIXError(.EADDRINUSE) }
            return Int(UInt16(bigEndian: address.sin_port))
        }
    }

    static func bash(_ script: String, in folder: URL) async throws -> ConformBinary.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = folder
        process.environment = [
            "PATH": ConformBinary.url.deletingLastPathComponent().path + ":/usr/bin:/bin", "NO_COLOR": "1",
            "HOME": folder.path,
        ]
        let (output, errors) = (Pipe(), Pipe())
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        return await ConformBinary.collect(process, output: output, errors: errors)
    }
}

/// A documented `sh` block made into a script that checks it: the ports it names are swapped for free
/// ones, a standalone mock started in the background is waited for (its file of credentials has its
/// lines), each `conform` line's exit status is compared with the one documented, and background mocks
/// are stopped at the end.
struct DocsScript {
    var commands: [String]

    init(blocks: [DocsBlock], ports: [Int]) {
        var mapping: [String: Int] = [:]
        commands = []
        for block in blocks {
            append(block, ports: ports, mapping: &mapping)
        }
    }

    private mutating func append(_ block: DocsBlock, ports: [Int], mapping: inout [String: Int]) {
        for command in block.commands {
            var text = command.text
            for match in text.matches(of: /\b(80[0-9][0-9])\b/).reversed() {
                let port = String(match.output.1)
                if mapping[port] == nil, mapping.count < ports.count { mapping[port] = ports[mapping.count] }
                if let free = mapping[port] { text.replaceSubrange(match.range, with: String(free)) }
            }
            commands.append(text)
            let bare = text.hasPrefix("#") ? "" : text
            if bare.hasPrefix("conform mock"), bare.hasSuffix("&"),
                let file = bare.firstMatch(of: /> *([^ &]+) *&$/)?.output.1
            {
                commands.append("__docs_wait_for \(file)")
            } else if DocsCommand(bare) != nil, !bare.hasSuffix("&") {
                commands.append(
                    "__docs_status $? \(DocsCommand.expectedStatus(of: bare)) '\(block.file):\(command.line)'")
            }
        }
    }

    var text: String {
        """
        trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null' EXIT
        __docs_status() { if [ "$1" -ne "$2" ]; then echo "$3: exit status $1, documented $2" >&2; exit 1; fi; }
        __docs_wait_for() {
            for _ in $(seq 300); do [ "$(wc -l < "$1" 2>/dev/null || echo 0)" -ge 2 ] && return 0; sleep 0.1; done
            echo "the mock writing $1 did not start in 30 s" >&2; exit 1
        }

        """ + commands.joined(separator: "\n") + "\n"
    }
}
