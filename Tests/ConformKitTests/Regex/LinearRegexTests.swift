import Foundation
import Testing

@testable import ConformJSON
@testable import ConformKit
@testable import ConformRegex
@testable import ConformSupport

@Suite struct LinearRegexTests {
    /// The matched text of the leftmost match, or nil.
    private func firstMatch(_ pattern: String, _ text: String) throws -> String? {
        let regex = try LinearRegex(pattern)
        return regex.firstMatch(in: text).map { String(text[$0]) }
    }

    private func refusal(_ pattern: String) -> LinearRegex.Error? {
        do {
            _ = try LinearRegex(pattern)
            return nil
        } catch {
            return error
        }
    }

    @Test func literalsEscapesAndDot() throws {
        #expect(try firstMatch("b+", "abbbc") == "bbb")
        #expect(try firstMatch("a.c", "xa\u{1F600}cx") == "a\u{1F600}c")  // one code point, not two halves
        #expect(try firstMatch("a.c", "a\nc") == nil)
        #expect(try firstMatch(#"\.\*\+\?\(\)\[\]\{\}\|\/\\\^\$"#, #"x.*+?()[]{}|/\^$"#) == #".*+?()[]{}|/\^$"#)
        #expect(try firstMatch(#"\t\n\r\f\v\0"#, "x\t\n\r\u{0C}\u{0B}\u{0}") == "\t\n\r\u{0C}\u{0B}\u{0}")
        #expect(try firstMatch(#"\x41\u0042\u{43}\u{1F600}\cJ"#, "xABC\u{1F600}\n") == "ABC\u{1F600}\n")
        #expect(try firstMatch(#"\uD83D\uDE00"#, "\u{1F600}") == "\u{1F600}")  // a surrogate pair is one code point
        #expect(try firstMatch(#"\uD83D"#, "\u{1F600}") == nil)  // a lone surrogate matches nothing
        #expect(try firstMatch("é", "café") == "é")
    }

    @Test func classes() throws {
        #expect(try firstMatch("[a-c]+", "xxabcabd") == "abcab")
        #expect(try firstMatch("[^a-c]+", "abcxyzab") == "xyz")
        #expect(try firstMatch("[-a]+", "b-a-") == "-a-")
        #expect(try firstMatch("[a-]+", "b-a-") == "-a-")
        #expect(try firstMatch(#"[\d.]+"#, "v1.25!") == "1.25")
        #expect(try firstMatch(#"[^\d]+"#, "12ab3") == "ab")
        #expect(try firstMatch(#"[\D]+"#, "12ab3") == "ab")
        #expect(try firstMatch(#"[\b]"#, "a\u{8}b") == "\u{8}")
        #expect(try firstMatch(#"[\-\]]+"#, "a-]-b") == "-]-")
        #expect(try firstMatch(#"[\u{1F600}-\u{1F64F}]"#, "hi \u{1F642}") == "\u{1F642}")
        #expect(try firstMatch("[]", "abc") == nil)  // the empty class matches nothing
        #expect(try firstMatch("[^]", "\n") == "\n")  // and its complement everything
    }

    @Test func classEscapesFollowECMAScript() throws {
        #expect(try firstMatch(#"\d+"#, "x٣42") == "42")  // \d is ASCII only
        #expect(try firstMatch(#"\w+"#, "é_ab1-") == "_ab1")  // \w too
        #expect(try firstMatch(#"\W+"#, "ab-é+c") == "-é+")
        #expect(try firstMatch(#"\s+"#, "a\u{A0}\u{2003}\u{FEFF}\nb") == "\u{A0}\u{2003}\u{FEFF}\n")
        #expect(try firstMatch(#"\S+"#, "  ab ") == "ab")
    }

    @Test func unicodeProperties() throws {
        #expect(try LinearRegex(#"^\p{Letter}+$"#).matches(in: "Hello"))
        #expect(try LinearRegex(#"^\p{L}+$"#).matches(in: "π"))
        #expect(try !LinearRegex(#"^\p{Letter}+$"#).matches(in: "123"))
        #expect(try firstMatch(#"\p{Lu}+"#, "abCDÉf") == "CDÉ")
        #expect(try firstMatch(#"\p{gc=Nd}+"#, "x٣42y") == "٣42")
        #expect(try firstMatch(#"\p{General_Category=Decimal_Number}+"#, "x٣4y") == "٣4")
        #expect(try firstMatch(#"\P{L}+"#, "ab12cd") == "12")
        #expect(try firstMatch(#"[^\p{L}]+"#, "ab12cd") == "12")
        #expect(try firstMatch(#"[\p{N}\p{Lu}]+"#, "aB1Cd") == "B1C")
        #expect(try firstMatch(#"\p{White_Space}"#, "a\u{2003}b") == "\u{2003}")
        #expect(try firstMatch(#"\p{ASCII}+"#, "éabé") == "ab")
        #expect(try firstMatch(#"\p{Any}"#, "\n") == "\n")
    }

    @Test func anchorsAndWordBoundaries() throws {
        #expect(try firstMatch("^ab", "cab") == nil)
        #expect(try firstMatch("ab$", "abc") == nil)
        #expect(try firstMatch("^ab$", "ab") == "ab")
        #expect(try firstMatch("^ab$", "ab\n") == nil)  // no multiline flag: $ is the end of the text
        #expect(try firstMatch(#"\bfoo\b"#, "a foo.") == "foo")
        #expect(try firstMatch(#"\bfoo\b"#, "afoo") == nil)
        #expect(try firstMatch(#"\Boo\B"#, "foot") == "oo")
        #expect(try firstMatch("(?:^|,)b", "a,b") == ",b")
    }

    @Test func alternationAndGroupsPreferTheFirstAlternative() throws {
        #expect(try firstMatch("a|ab", "ab") == "a")
        #expect(try firstMatch("ab|a", "ab") == "ab")
        #expect(try firstMatch("(a|b)+c", "xababcx") == "ababc")
        #expect(try firstMatch("(?:ab)+", "abababa") == "ababab")
        #expect(try firstMatch("(?<year>\\d{4})-(?<month>\\d{2})", "on 2024-05-01") == "2024-05")
        #expect(try firstMatch("a||b", "b") == "")  // the empty alternative matches at 0
        #expect(try firstMatch("", "abc") == "")
    }

    @Test func greedyAndLazyQuantifiers() throws {
        #expect(try firstMatch("a*", "aaa") == "aaa")
        #expect(try firstMatch("a*?", "aaa") == "")
        #expect(try firstMatch("a+?", "aaa") == "a")
        #expect(try firstMatch("a??b", "ab") == "ab")
        #expect(try firstMatch("<.*>", "<a><b>") == "<a><b>")
        #expect(try firstMatch("<.*?>", "<a><b>") == "<a>")
        #expect(try firstMatch("a{2}", "aaaa") == "aa")
        #expect(try firstMatch("a{2,}", "aaaa") == "aaaa")
        #expect(try firstMatch("a{2,3}", "aaaa") == "aaa")
        #expect(try firstMatch("a{2,3}?", "aaaa") == "aa")
        #expect(try firstMatch("a{0}b", "ab") == "b")
        #expect(try firstMatch("(a*)*b", "aaab") == "aaab")  // an empty loop body terminates
        #expect(try firstMatch("(a?)+?c", "aac") == "aac")
        #expect(try firstMatch("x{3}", "xx") == nil)
    }

    @Test func wholeMatch() throws {
        let regex = try LinearRegex("[a-z]+( [a-z]+)*")
        #expect(regex.wholeMatch("read write"))
        #expect(!regex.wholeMatch("read write!"))
        #expect(!regex.wholeMatch(""))
        #expect(try regex.matches(in: "READ write"))
        #expect(try LinearRegex("a|ab").wholeMatch("ab"))  // a later alternative may complete the text
        #expect(try LinearRegex("a*?").wholeMatch("aaa"))
        #expect(try LinearRegex("").wholeMatch(""))
    }

    @Test func catastrophicBacktrackingPatternsRunInLinearSteps() throws {
        let text = String(repeating: "a", count: 30_000) + "!"
        for pattern in ["(a+)+$", "(a|a)+$", "(a*)*b", "(a|aa)+$", "^(a+)+b", "(x+x+)+y", "(.*a){12}$"] {
            let regex = try LinearRegex(pattern)
            let scalars = text.unicodeScalars.count
            for mode in [RegexMatcher.Mode.any, .leftmostFirst, .whole] {
                let result = regex.measuredSearch(text, mode: mode)
                #expect(result.range == nil, "\(pattern)")
                #expect(result.steps <= 2 * regex.stateCount * (scalars + 1), "\(pattern): \(result.steps) steps")
                if mode != .whole { #expect(result.steps >= scalars, "\(pattern): the whole text was scanned") }
            }
        }
        // The same bound holds when there is a match.
        let regex = try LinearRegex("(a+)+!")
        let result = regex.measuredSearch(text, mode: .leftmostFirst)
        #expect(result.range.map { text[$0].count } == 30_001)
        #expect(result.steps <= 2 * regex.stateCount * 30_002)
    }

    @Test func stepsGrowLinearlyWithTheText() throws {
        let regex = try LinearRegex("(a+)+$")
        let short = regex.measuredSearch(String(repeating: "a", count: 1_000) + "!", mode: .any).steps
        let long = regex.measuredSearch(String(repeating: "a", count: 10_000) + "!", mode: .any).steps
        #expect(long <= short * 11)
        #expect(long >= short * 9)
    }

    /// A search stops at its step budget: a pattern of 9,800 states that keeps them all alive costs about
    /// 20,000 steps a character, linear but minutes over a 1 MB value.
    @Test func aSearchStopsAtItsStepBudget() throws {
        let regex = try LinearRegex(String(repeating: "(?:[a-z]?){490}", count: 10) + "!")
        #expect(regex.stateCount > 9_800)
        let text = String(repeating: "a", count: 2_000)
        let budget = 100_000
        let stopped = regex.measuredSearch(text, mode: .any, budget: budget)
        #expect(stopped.range == nil)
        #expect(stopped.steps > budget && stopped.steps <= budget + 2 * regex.stateCount, "\(stopped.steps) steps")
        #expect(LinearRegex.maximumSteps == 20_000_000)
        #expect(
            LinearRegex.Stop.tooCostly.description == "pattern too costly for this value (more than 20000000 steps)")
    }

    /// A search asks its deadline: once passed, it stops with the deadline's reason.
    @Test func aSearchStopsWhenItsDeadlinePasses() throws {
        let passed = WorkDeadline(at: .now, because: "the case's time budget ran out")
        #expect(throws: LinearRegex.Stop.stopped("the case's time budget ran out")) {
            try LinearRegex("a+").matches(in: "aaa", deadline: passed)
        }
        #expect(try LinearRegex("a+").matches(in: "aaa", deadline: WorkDeadline(at: .now + .seconds(60))))
    }

    @Test func refusesWhatNeedsBacktracking() {
        #expect(
            refusal(#"(a)\1"#)
                == LinearRegex.Error(message: "backreference \\1 is not supported: it needs backtracking", offset: 3))
        #expect(
            refusal(#"(?<x>a)\k<x>"#)
                == LinearRegex.Error(message: "backreference \\k<x> is not supported: it needs backtracking", offset: 7)
        )
        #expect(
            refusal("a(?=b)")
                == LinearRegex.Error(message: "lookahead (?=…) is not supported: it needs backtracking", offset: 1))
        #expect(refusal("(?!b)a")?.message == "negative lookahead (?!…) is not supported: it needs backtracking")
        #expect(refusal("(?<=b)a")?.message == "lookbehind (?<=…) is not supported: it needs backtracking")
        #expect(refusal("(?<!b)a")?.message == "negative lookbehind (?<!…) is not supported: it needs backtracking")
        #expect(refusal(#"\p{Script=Greek}"#)?.message == "script property \\p{Script=Greek} is not supported")
        #expect(refusal("(?i:a)")?.message == "inline modifiers (?ims-ims:…) are not supported")
        // Valid ECMA-262 all the same, for the `regex` format.
        #expect(LinearRegex.isValidSyntax(#"(a)\1(?=b)(?<!c)\p{sc=Greek}"#))
    }

    @Test func refusesRepetitionsThatExpandTooFar() throws {
        #expect(try LinearRegex("a{1000}").stateCount == 1_001)
        #expect(
            refusal("xa{1001}")
                == LinearRegex.Error(
                    message:
                        "the repetition {1001} expands to 1001 NFA states, more than the 1000 allowed for one repetition",
                    offset: 2))
        #expect(
            refusal("(ab){2,600}")?.message
                == "the repetition {2,600} expands to 1798 NFA states, more than the 1000 allowed for one repetition")
        #expect(refusal("a{99999999999999999999999}")?.message.hasPrefix("the repetition {") == true)
        #expect(refusal("(a{30}){40}")?.offset == 7)
        #expect(
            refusal(String(repeating: "(a{900})", count: 12))
                == LinearRegex.Error(
                    message: "the pattern needs 10800 NFA states, more than the 10000 allowed", offset: 0)
        )
        #expect(
            refusal(String(repeating: "(", count: 101) + String(repeating: ")", count: 101))?.message
                == "groups nested deeper than 100 levels")
    }

    @Test func refusesInvalidSyntaxWithItsPosition() {
        let cases: [(String, String, Int)] = [
            ("a{", "incomplete quantifier: expected {n}, {n,} or {n,m}", 1),
            ("a{1,x}", "incomplete quantifier: expected {n}, {n,} or {n,m}", 1),
            ("{", "a lone '{' must be escaped as \\{ in a Unicode-mode pattern", 0),
            ("a}", "a lone '}' must be escaped as \\} in a Unicode-mode pattern", 1),
            ("a]", "a lone ']' must be escaped as \\] in a Unicode-mode pattern", 1),
            ("*a", "nothing to repeat before '*'", 0),
            ("a**", "nothing to repeat before '*'", 2),
            ("^*", "nothing to repeat: an assertion cannot be quantified", 1),
            ("{2}", "nothing to repeat before '{'", 0),
            ("a{3,2}", "numbers out of order in {3,2} quantifier", 1),
            ("(ab", "unterminated group: missing ')'", 0),
            ("ab)", "unmatched ')'", 2),
            ("[ab", "unterminated character class: missing ']'", 0),
            ("[z-a]", "range out of order in character class", 1),
            (#"[\d-z]"#, "a class escape such as \\d cannot be a range end in a Unicode-mode pattern", 1),
            (#"\a"#, "invalid escape \\a in a Unicode-mode pattern (only syntax characters may be escaped)", 0),
            (#"a\"#, "'\\' at the end of the pattern", 1),
            (#"\x4"#, "invalid escape \\x: expected two hex digits", 0),
            (#"\u{110000}"#, "invalid escape \\u{…}: beyond U+10FFFF", 0),
            (#"\p{Nope}"#, "unknown Unicode property \\p{Nope}", 0),
            (#"\01"#, "invalid escape \\0 followed by a digit in a Unicode-mode pattern", 0),
            (#"(a)\2"#, "backreference \\2 names a group that does not exist", 3),
            ("(?<a>x)(?<a>y)", "duplicate group name <a>", 7),
            ("(?i)", "invalid group: expected ':' after modifiers", 3),
            ("(?x)", "invalid group: '(?' must be followed by ':', '=', '!', '<=', '<!' or '<name>'", 0),
            ("(?#c)", "invalid group: '(?' must be followed by ':', '=', '!', '<=', '<!' or '<name>'", 0),
        ]
        for (pattern, message, offset) in cases {
            #expect(refusal(pattern) == LinearRegex.Error(message: message, offset: offset), "\(pattern)")
            #expect(!LinearRegex.isValidSyntax(pattern), "\(pattern)")
        }
        #expect(
            refusal("ab{")?.description
                == "incomplete quantifier: expected {n}, {n,} or {n,m} (at character 3 of the pattern)")
    }

    /// The engine agrees with V8 (node, `u` flag) on 3,000 random patterns and texts: same leftmost match,
    /// same extent, same whole-text verdict. Tests/regex/generate-differential.mjs writes the fixture (it
    /// also agreed on 60,000 cases, `CASES=60000`, when the engine was written).
    @Test func agreesWithECMAScript() throws {
        let url = TestPaths.fixtures.appendingPathComponent("regex/ecmascript-differential.json")
        let cases = try #require(JSONValue.decode(try Data(contentsOf: url)))
        guard case .array(let items) = cases else {
            Issue.record("the fixture is not an array")
            return
        }
        #expect(items.count == 3_000)
        var tooLarge = 0
        for item in items {
            guard case .array(let fields) = item, fields.count == 4, case .string(let pattern) = fields[0],
                case .string(let text) = fields[1], case .bool(let whole) = fields[3]
            else {
                Issue.record("malformed case \(item)")
                continue
            }
            var expected: Range<Int>?
            if case .array(let bounds) = fields[2], case .number(let start) = bounds[0],
                case .number(let end) = bounds[1]
            {
                expected = Int(start)..<Int(end)
            }
            let regex: LinearRegex
            do {
                regex = try LinearRegex(pattern)
            } catch {
                #expect(error.message.contains("NFA states"), "/\(pattern)/u: \(error)")
                tooLarge += 1
                continue
            }
            let actual = regex.firstMatch(in: text).map {
                text.unicodeScalars.distance(
                    from: text.startIndex, to: $0.lowerBound)..<text.unicodeScalars.distance(
                        from: text.startIndex, to: $0.upperBound)
            }
            #expect(actual == expected, "/\(pattern)/u on \(JSONValue.quoted(text))")
            #expect(try regex.matches(in: text) == (expected != nil), "/\(pattern)/u on \(JSONValue.quoted(text))")
            #expect(regex.wholeMatch(text) == whole, "/\(pattern)/u as a whole match of \(JSONValue.quoted(text))")
        }
        // Nested counted repetitions of random patterns: refused for their size, never run differently.
        #expect(tooLarge == 20, "patterns refused for their size")
    }
}
