import Foundation
import Testing

@testable import ConformJSON
@testable import ConformKit
@testable import ConformSupport

/// YAML suites read into the same located tree as JSON ones; hostile YAML is refused with a location.
@Suite(.temporaryDirectories) struct YAMLNodeReaderTests {
    private func parse(_ text: String) throws(JSONNodeParser.SyntaxError) -> JSONNode {
        try YAMLNodeReader.parse(Array(text.utf8))
    }

    /// The error of a YAML text as `line:column: message`, or "parsed" when it reads.
    private func problem(_ text: String) -> String {
        do {
            _ = try parse(text)
            return "parsed"
        } catch {
            return "\(error.location): \(error.message)"
        }
    }

    @Test func readsTheSameValuesAsJSON() throws {
        let yaml = """
            # a comment
            a: [1, "x", 2.5, -3]
            b: {c: null, d: ~}
            e:
              - true
              - 'quoted: yes'
              - |
                two
                lines
            f: 0x1F
            """
        let json =
            #"{"a": [1, "x", 2.5, -3], "b": {"c": null, "d": null}, "e": [true, "quoted: yes", "two\nlines\n"], "f": 31}"#
        #expect(try parse(yaml).jsonValue == JSONNodeParser.parse(Array(json.utf8)).jsonValue)
    }

    @Test func locatesKeysAndValuesInCharacters() throws {
        let node = try parse("é: 1\nlist:\n  - {k: v}\n")
        guard case .object(let members) = node.value, case .array(let items) = members[1].value.value else {
            Issue.record("not an object with a list")
            return
        }
        #expect(members.map(\.key) == ["é", "list"])
        #expect(members[0].value.location == ConformSupport.SourceLocation(line: 1, column: 4))
        #expect(members[1].keyLocation == ConformSupport.SourceLocation(line: 2, column: 1))
        #expect(items[0].location == ConformSupport.SourceLocation(line: 3, column: 5))
    }

    /// Yams types plain scalars by YAML 1.1: these are what the docs promise.
    @Test func typesPlainScalarsLikeYAML11() throws {
        let node = try parse("[yes, No, on, OFF, y, 010, 1_000, '010', 2024-01-02, =, null, '']")
        #expect(
            node.jsonValue
                == .array([
                    .bool(true), .bool(false), .bool(true), .bool(false), .string("y"), .number(8), .number(1000),
                    .string("010"), .string("2024-01-02"), .string("="), .null, .string(""),
                ]))
    }

    @Test func refusesWhatJSONCannotHold() {
        #expect(problem("a: !!binary aGVsbG8=") == "1:4: " + YAMLNodeReader.unsupportedTag("tag:yaml.org,2002:binary"))
        #expect(problem("a: !custom x") == "1:4: " + YAMLNodeReader.unsupportedTag("!custom"))
        #expect(problem("a: !!set {x: null}") == "1:4: " + YAMLNodeReader.unsupportedTag("tag:yaml.org,2002:set"))
        #expect(problem("200: ok") == "1:1: a mapping key must be a string, got a number (quote it)")
        #expect(problem("x: 1\nyes: 2") == "2:1: a mapping key must be a string, got a boolean (quote it)")
        #expect(problem("? [a]\n: b") == "1:3: a mapping key must be a string, got an array (quote it)")
        #expect(problem("a: .inf") == "1:4: number .inf is out of range (quote it for a string)")
        #expect(
            problem("base: &b {x: 1}\nc:\n  <<: *b")
                == "3:3: merge keys ('<<') are not supported; share parts with 'blocks' and 'use'")
        #expect(problem("a: *nowhere").hasPrefix("1:4: "))
        #expect(problem("a: 1\n---\nb: 2") == "2:1: a suite file holds one YAML document; found a second one ('---')")
        #expect(problem("# only a comment\n") == "2:1: expected a YAML document, found end of file")
        #expect(problem("a: b: c") == "1:5: mapping values are not allowed in this context")
    }

    /// Aliases are read (a value shared by name), and expand at most `maximumAliasExpansion` values.
    @Test func boundsAliasExpansion() throws {
        let shared = try parse("h: &h {Accept: a}\ncases: [*h, *h]")
        #expect(
            shared.jsonValue
                == .object([
                    "h": .object(["Accept": .string("a")]),
                    "cases": .array([
                        .object(["Accept": .string("a")]), .object(["Accept": .string("a")]),
                    ]),
                ]))
        // Billion laughs: each level repeats the one before ten times, 10^9 values in all.
        var lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1...9 {
            let previous = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            lines.append("a\(level): &a\(level) [\(previous)]")
        }
        let start = ContinuousClock.now
        // a1 repeats 10 × 11 values, a2 10 × 111, a3 passes 10,000 at its 8th alias: 1220 + 8 × 1111.
        #expect(problem(lines.joined(separator: "\n")) == "4:45: " + YAMLNodeReader.aliasBomb)
        // An alias as a mapping key (which costs Yams' own composer hashing of all it names) is refused cheaply.
        let asKey = lines.prefix(3).joined(separator: "\n") + "\nk: {? *a2 : x}"
        #expect(problem(asKey) == "4:7: a mapping key must be a string, got an array (quote it)")
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test func boundsNesting() {
        let depth = YAMLNodeReader.maximumDepth
        #expect(problem(String(repeating: "[", count: depth) + String(repeating: "]", count: depth)) == "parsed")
        let deep = String(repeating: "[", count: depth + 1) + String(repeating: "]", count: depth + 1)
        #expect(problem(deep) == "1:\(depth + 1): nesting deeper than \(depth) levels")
        let block = (0...depth).map { String(repeating: "  ", count: $0) + "k:" }.joined(separator: "\n") + " 1"
        #expect(problem(block) == "\(depth + 1):\(2 * depth + 1): nesting deeper than \(depth) levels")
        // Far deeper than libyaml's own limit (1000, which its scanner meets first): refused, never a stack overflow.
        #expect(problem(String(repeating: "[", count: 100_000)) == "1:1: nesting deeper than \(depth) levels")
    }

    /// Damaged suites (bytes replaced, dropped, doubled, cut; seeded, so a failure repeats) either read or fail
    /// with a location inside the file: never a crash, never a location past the end.
    @Test func damagedSuitesFailCleanly() throws {
        let original = Array(try Data(contentsOf: URL(fileURLWithPath: TestPaths.suite("oauth2.yaml"))))
        var state: UInt64 = 0x5EED
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let alphabet = Array("&*!|>-?:[]{},'\"#%@` \n\t\u{0}\u{FF}a0".utf8)
        var failures = 0
        for _ in 0..<500 {
            var bytes = original
            for _ in 0..<(1 + next(4)) {
                let at = next(bytes.count)
                switch next(4) {
                case 0: bytes[at] = alphabet[next(alphabet.count)]
                case 1: bytes.remove(at: at)
                case 2: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + 1 + next(40))], at: at)
                default: bytes = Array(bytes[..<at])
                }
                if bytes.isEmpty { bytes = [UInt8(ascii: "[")] }
            }
            do {
                _ = try YAMLNodeReader.parse(bytes)
            } catch {
                failures += 1
                let lineCount = bytes.filter { $0 == UInt8(ascii: "\n") }.count + 1
                #expect(
                    error.location.line >= 1 && error.location.line <= lineCount,
                    "\(error.location) of \(lineCount): \(error.message)")
                #expect(!error.message.isEmpty)
            }
        }
        #expect(failures > 100)
    }

    /// A YAML suite has the size limit of every input file, checked before a byte is parsed.
    @Test func boundsSize() throws {
        let path = TestPaths.writeSuite("format: 1\n", name: "big.yaml")
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(InputFile.maximumBytes + 1))
        try handle.close()
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path + "/"
        guard case .failure(let error) = SuiteLoader().load(path) else {
            Issue.record("a file over the size limit loaded")
            return
        }
        #expect(
            error.diagnostics.map { $0.description.replacingOccurrences(of: folder, with: "") }
                == [
                    "big.yaml: error: cannot read the suite file: it is larger than \(ByteCount.describe(InputFile.maximumBytes))"
                ])
    }

    /// The loader's diagnostics read alike for a YAML file: located, with the loader's words.
    @Test func suiteDiagnosticsAreLocated() {
        let yaml = """
            format: 1
            name: y
            mock: pitchpoint
            cases:
              - name: a
                request: {method: GET, path: /x}
                expct: {status: 200}
                expect: {status: 200}
              - name: b
                name: c
                request: {method: GET, path: /x}
                expect: {status: 200}
              - name: no
                request: {method: GET, path: /x}
                expect: {status: 200}
            """
        let diagnostics = TestPaths.suiteDiagnostics(yaml, name: "suite.yaml")
        #expect(diagnostics.count == 3)
        #expect(
            diagnostics.first?.hasPrefix("suite.yaml:7:5: error: unknown key 'expct' in case; did you mean 'expect'?")
                == true)
        #expect(diagnostics.dropFirst().first == "suite.yaml:10:5: error: duplicate key 'name' in case")
        #expect(diagnostics.last == "suite.yaml:13:11: error: 'name' in case must be a string, got a boolean")
        #expect(
            TestPaths.suiteDiagnostics("format: 1\nname: [", name: "suite.yml")
                == [
                    "suite.yml:2:8: error: invalid YAML: did not find expected node content (while parsing a flow node)"
                ])
    }
}
