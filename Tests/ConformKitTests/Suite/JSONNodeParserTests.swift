import Testing

@testable import ConformJSON
@testable import ConformKit
@testable import ConformSupport

@Suite struct JSONNodeParserTests {
    private func parse(_ text: String) throws(JSONNodeParser.SyntaxError) -> JSONNode {
        try JSONNodeParser.parse(Array(text.utf8))
    }

    private func syntaxError(_ text: String) -> JSONNodeParser.SyntaxError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func locatesKeysAndValues() throws {
        let node = try parse("{\n  \"a\": [1, \"x\"],\n  \"b\": {\"c\": null}\n}")
        guard case .object(let members) = node.value else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["a", "b"])
        #expect(members[0].keyLocation == ConformSupport.SourceLocation(line: 2, column: 3))
        #expect(members[0].value.location == ConformSupport.SourceLocation(line: 2, column: 8))
        #expect(members[1].value.location == ConformSupport.SourceLocation(line: 3, column: 8))
    }

    @Test func countsColumnsInCharactersNotBytes() throws {
        let node = try parse("{\"é\": 1, \"k\": 2}")
        guard case .object(let members) = node.value else {
            Issue.record("not an object")
            return
        }
        #expect(members[1].keyLocation == ConformSupport.SourceLocation(line: 1, column: 10))
    }

    @Test func decodesEscapes() throws {
        let node = try parse(#"["a\"b\\c\/\n\u00e9\ud83d\ude00"]"#)
        guard case .array(let items) = node.value, case .string(let text) = items.first?.value else {
            Issue.record("not an array of a string")
            return
        }
        #expect(text == "a\"b\\c/\né😀")
    }

    @Test func reportsTrailingComma() {
        let error = syntaxError("{\n  \"a\": 1,\n}")
        #expect(error?.message == "trailing comma before '}'")
        #expect(error?.location == ConformSupport.SourceLocation(line: 3, column: 1))
    }

    @Test func reportsMissingColonWhereItBelongs() {
        let error = syntaxError("{\"a\" 1}")
        #expect(error?.message == "expected ':' after object key, found character '1'")
        #expect(error?.location == ConformSupport.SourceLocation(line: 1, column: 6))
    }

    @Test func rejectsWhatRFC8259Rejects() {
        #expect(syntaxError("[01]")?.message == "invalid number: leading zeros are not allowed")
        #expect(syntaxError("[\"a\tb\"]")?.message == "control character in string (use an escape such as \\n)")
        #expect(syntaxError("{} x")?.message == "unexpected character 'x' after the end of the JSON document")
        #expect(syntaxError("[tru]")?.message == "invalid literal: expected 'true'")
        #expect(syntaxError("")?.message == "expected a JSON value, found end of file")
        #expect(syntaxError("[\"\\x\"]")?.message == "invalid escape sequence '\\x'")
    }

    @Test func limitsNesting() {
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(syntaxError(deep)?.message == "JSON nesting deeper than 256 levels")
    }
}
