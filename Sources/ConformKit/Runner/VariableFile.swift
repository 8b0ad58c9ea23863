import ConformJSON
import ConformSupport
import Foundation

/// `--var-file PATH`: values of suite variables from a dotenv file, as Newman reads environment files and
/// Hurl reads `--variables-file`.
///
///     # Pitchpoint sandbox
///     export refresh_token='AMf-…'
///     username=ci@example.com        # a comment after an unquoted value
///     greeting="line one\nline two"
///
/// - One `NAME=value` a line, `export ` before it allowed; `NAME` is a variable name (letters, digits and
///   `_`, not starting with a digit), spaces around `=` allowed.
/// - Blank lines and lines whose first non-blank character is `#` are skipped.
/// - An unquoted value is trimmed, and ` #` (a `#` after a space or tab) starts a comment.
/// - `'…'` is taken as written. `"…"` knows three escapes: `\n`, `\"` and `\\`; any other is an error.
///   After the closing quote only blanks and a comment may follow.
/// - A name given twice: the later line wins.
///
/// A problem is located (`vars.env:3: error: unterminated double-quoted value`) and never quotes a value:
/// the file holds secrets.
struct VariableFile: Sendable {
    struct Entry: Sendable, Equatable {
        var name: String
        var value: String
        var line: Int
    }

    var path: String
    var entries: [Entry]

    /// Reads the file (a regular file only, ``InputFile``) and parses it, or says what is wrong with it.
    static func read(_ path: String) -> Result<VariableFile, PlanningError> {
        let data: Data
        do {
            data = try InputFile.read(path)
        } catch {
            return .failure(PlanningError(diagnostics: [.error("\(error)", at: .subject("--var-file \(path)"))]))
        }
        if let offset = UTF8Validation.firstInvalidOffset(in: data) {
            return .failure(
                PlanningError(
                    diagnostics: [.error("not UTF-8 text (invalid byte at offset \(offset))", at: .file(path))]))
        }
        let (file, problems) = parse(String(decoding: data, as: UTF8.self), path: path)
        return problems.isEmpty ? .success(file) : .failure(PlanningError(diagnostics: problems))
    }

    /// Every entry, and every problem (`path:line: error: …`), of a file's text.
    static func parse(_ text: String, path: String) -> (VariableFile, [RunDiagnostic]) {
        var entries: [Entry] = []
        var problems: [RunDiagnostic] = []
        let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        // "\r\n" is one Character: a file written on Windows splits as well.
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for (index, rawLine) in lines.enumerated() {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            switch parseLine(line) {
            case .none: continue
            case .entry(let name, let value): entries.append(Entry(name: name, value: value, line: index + 1))
            case .problem(let message): problems.append(.error(message, at: .file(path, line: index + 1)))
            }
        }
        return (VariableFile(path: path, entries: entries), problems)
    }

    private enum Line {
        case none
        case entry(String, String)
        case problem(String)
    }

    private static func parseLine(_ line: Substring) -> Line {
        var rest = line.drop { $0 == " " || $0 == "\t" }
        if rest.isEmpty || rest.first == "#" { return .none }
        if rest.hasPrefix("export"), let next = rest.dropFirst(6).first, next == " " || next == "\t" {
            rest = rest.dropFirst(6).drop { $0 == " " || $0 == "\t" }
        }
        guard let equals = rest.firstIndex(of: "=") else {
            return .problem(Messages.noEquals)
        }
        let name = String(rest[..<equals]).trimmingCharacters(in: .whitespaces)
        guard Template.isName(name) else {
            return .problem(Messages.notAName(name))
        }
        let afterEquals = rest[rest.index(after: equals)...]
        let value = afterEquals.drop { $0 == " " || $0 == "\t" }
        switch value.first {
        case "'": return quoted(value.dropFirst(), name: name, closing: "'", escapes: false)
        case "\"": return quoted(value.dropFirst(), name: name, closing: "\"", escapes: true)
        default: return .entry(name, unquoted(afterEquals))
        }
    }

    /// The value up to a `#` that follows a blank, trimmed.
    private static func unquoted(_ text: Substring) -> String {
        var end = text.endIndex
        var previous: Character = " "
        for index in text.indices {
            if text[index] == "#", previous == " " || previous == "\t" {
                end = index
                break
            }
            previous = text[index]
        }
        return text[..<end].trimmingCharacters(in: .whitespaces)
    }

    private static func quoted(_ text: Substring, name: String, closing: Character, escapes: Bool) -> Line {
        var value = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == closing {
                let after = text[text.index(after: index)...].drop { $0 == " " || $0 == "\t" }
                guard after.isEmpty || after.first == "#" else { return .problem(Messages.textAfterQuote(name)) }
                return .entry(name, value)
            }
            if escapes, character == "\\" {
                let next = text.index(after: index)
                guard next < text.endIndex else { break }
                switch text[next] {
                case "n": value.append("\n")
                case "\"": value.append("\"")
                case "\\": value.append("\\")
                default: return .problem(Messages.unknownEscape(text[next], name: name))
                }
                index = text.index(after: next)
                continue
            }
            value.append(character)
            index = text.index(after: index)
        }
        return .problem(Messages.unterminated(closing == "'" ? "single" : "double", name: name))
    }

    enum Messages {
        static let noEquals = "expected NAME=value (a variable name, '=', its value)"

        static func notAName(_ name: String) -> String {
            "\(JSONValue.quoted(name, limit: 40)) is not a variable name: letters, digits and '_', not starting with a digit"
        }

        static func textAfterQuote(_ name: String) -> String {
            "\(name): only blanks or a '#' comment may follow the closing quote"
        }

        static func unknownEscape(_ character: Character, name: String) -> String {
            "\(name): unknown escape '\\\(character)' in a double-quoted value (known: \\n, \\\", \\\\); single quotes take text as written"
        }

        static func unterminated(_ kind: String, name: String) -> String {
            "\(name): unterminated \(kind)-quoted value (a value is one line; write a line break as \\n in double quotes)"
        }
    }
}
