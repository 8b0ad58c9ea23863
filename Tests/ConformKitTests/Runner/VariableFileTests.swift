import Foundation
import Testing

@testable import ConformKit
@testable import conform

@Suite struct VariableFileTests {
    @Test func readsEveryFormOfLine() {
        let text = """
            \u{FEFF}# a comment
              # an indented comment

            plain=value
            export exported=yes
            export\tspaced = trimmed value  \r
            unquoted=  a b  # and a comment
            hash=a#b
            empty=
            single='it is # not a comment'
            double="line one\\nline \\"two\\" \\\\ end"  # comment
            equals=a=b=c
            plain=later wins
            """
        let (file, problems) = VariableFile.parse(text, path: "vars.env")
        #expect(problems == [])
        #expect(
            file.entries == [
                .init(name: "plain", value: "value", line: 4),
                .init(name: "exported", value: "yes", line: 5),
                .init(name: "spaced", value: "trimmed value", line: 6),
                .init(name: "unquoted", value: "a b", line: 7),
                .init(name: "hash", value: "a#b", line: 8),
                .init(name: "empty", value: "", line: 9),
                .init(name: "single", value: "it is # not a comment", line: 10),
                .init(name: "double", value: "line one\nline \"two\" \\ end", line: 11),
                .init(name: "equals", value: "a=b=c", line: 12),
                .init(name: "plain", value: "later wins", line: 13),
            ])
    }

    @Test func singleQuotesTakeTextAsWritten() {
        let (file, problems) = VariableFile.parse(#"token='a\nb "c" # d'"#, path: "v.env")
        #expect(problems == [])
        #expect(file.entries.map(\.value) == [#"a\nb "c" # d"#])
    }

    /// Every problem is located, and none shows the value: the file holds secrets.
    @Test func locatesEveryProblemWithoutShowingValues() {
        let text = """
            ok=1
            s3cr3t-without-a-name
            1st=s3cr3t
            open="s3cr3t
            open2='s3cr3t
            escape="s3cr3t\\t"
            after="s3cr3t" s3cr3t
            export
            """
        let (_, diagnostics) = VariableFile.parse(text, path: "vars.env")
        let problems = diagnostics.map(DiagnosticPrinter.line(for:))
        // Located as data: the file and the line, no column.
        #expect(diagnostics.first?.location == .file("vars.env", line: 2))
        #expect(diagnostics.allSatisfy { $0.severity == .error })
        #expect(
            problems == [
                "vars.env:2: error: expected NAME=value (a variable name, '=', its value)",
                #"vars.env:3: error: "1st" is not a variable name: letters, digits and '_', not starting with a digit"#,
                #"vars.env:4: error: open: unterminated double-quoted value (a value is one line; write a line break as \n in double quotes)"#,
                #"vars.env:5: error: open2: unterminated single-quoted value (a value is one line; write a line break as \n in double quotes)"#,
                #"vars.env:6: error: escape: unknown escape '\t' in a double-quoted value (known: \n, \", \\); single quotes take text as written"#,
                "vars.env:7: error: after: only blanks or a '#' comment may follow the closing quote",
                "vars.env:8: error: expected NAME=value (a variable name, '=', its value)",
            ])
        #expect(!problems.joined().contains("s3cr3t"))
    }
}
