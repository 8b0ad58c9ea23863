import Foundation

/// The code blocks of the README and of `docs/*.md`, and the commands in them.
///
/// A fenced block whose language is `sh` is a script that the docs test runs, line by line, against the
/// embedded mocks; every other block (indented, `console`, `json`…) is shown, not run, but each `conform`
/// command in it must name a subcommand and options that exist.
struct DocsBlock {
    var file: String
    /// The 1-based line of the block's first line of code.
    var line: Int
    /// The fence's language (`sh`, `json`…); nil for an indented block.
    var language: String?
    /// The lines of code, without the indentation of the block.
    var lines: [String]

    /// The commands of the block: continuation lines (ending in `\`) joined, comments kept, with the line
    /// each starts on.
    var commands: [(line: Int, text: String)] {
        var result: [(line: Int, text: String)] = []
        var pending: (line: Int, text: String)?
        for (offset, raw) in lines.enumerated() {
            let text = raw.trimmingCharacters(in: .whitespaces)
            if var open = pending {
                open.text += " " + text
                pending = open
            } else {
                pending = (line + offset, text)
            }
            if text.hasSuffix("\\"), var open = pending {
                open.text.removeLast()
                open.text = open.text.trimmingCharacters(in: .whitespaces)
                pending = open
                continue
            }
            if let done = pending, !done.text.isEmpty { result.append(done) }
            pending = nil
        }
        if let done = pending, !done.text.isEmpty { result.append(done) }
        return result
    }

    /// Every documentation file: the README and `docs/*.md`, by path relative to the package.
    static func documentationFiles(in root: URL) throws -> [String] {
        let docs = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("docs").path)
            .filter { $0.hasSuffix(".md") }.sorted().map { "docs/\($0)" }
        return ["README.md"] + docs
    }

    /// The code blocks of a Markdown file: fenced (at any indentation, as in a list item) and indented by
    /// four spaces after a blank line.
    static func blocks(of file: String, text: String) -> [DocsBlock] {
        let lines = text.components(separatedBy: "\n")
        var blocks: [DocsBlock] = []
        var index = 0
        var previousBlank = true
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") {
                let indent = line.prefix { $0 == " " }.count
                let language = String(trimmed.dropFirst(3)).trimmingCharacters(in: .whitespaces)
                var body: [String] = []
                index += 1
                let start = index + 1
                while index < lines.count, !lines[index].trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                    body.append(String(lines[index].dropFirst(min(indent, lines[index].prefix { $0 == " " }.count))))
                    index += 1
                }
                blocks.append(
                    DocsBlock(file: file, line: start, language: language.isEmpty ? "" : language, lines: body))
                index += 1
                previousBlank = false
                continue
            }
            if previousBlank, line.hasPrefix("    "), !trimmed.isEmpty, !trimmed.hasPrefix("- "),
                !trimmed.hasPrefix("|")
            {
                let start = index + 1
                var body: [String] = []
                while index < lines.count, lines[index].hasPrefix("    ") || lines[index].isEmpty {
                    body.append(String(lines[index].dropFirst(min(4, lines[index].count))))
                    index += 1
                }
                while body.last?.isEmpty == true { body.removeLast() }
                blocks.append(DocsBlock(file: file, line: start, language: nil, lines: body))
                previousBlank = true
                continue
            }
            previousBlank = trimmed.isEmpty
            index += 1
        }
        return blocks
    }
}

/// A `conform` command as the docs write it: `[$ ][NAME=VALUE ...]conform SUBCOMMAND ARGUMENTS`.
struct DocsCommand: Equatable {
    var subcommand: String
    /// Every `--option` it names (before an `=`), in order.
    var options: [String]

    init(subcommand: String, options: [String]) {
        self.subcommand = subcommand
        self.options = options
    }

    init?(_ text: String) {
        var words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if words.first == "$" { words.removeFirst() }
        while let first = words.first, first.contains("="), !first.hasPrefix("-") { words.removeFirst() }
        guard words.first == "conform", words.count >= 2 else { return nil }
        subcommand = words[1]
        // Options inside a synopsis's brackets count too: `[--base-url URL | --live]`.
        options = words.dropFirst(2).prefix { !$0.hasPrefix("#") }
            .flatMap { word in word.matches(of: /(?:^|[\[(|])(--[a-z][a-z0-9-]*)/).map { String($0.output.1) } }
    }

    /// The exit status the docs promise: `# exits N` in the line's comment, else 0.
    static func expectedStatus(of text: String) -> Int32 {
        guard let comment = text.range(of: "# exits ") else { return 0 }
        let digits = text[comment.upperBound...].prefix { $0.isNumber }
        return Int32(digits) ?? 0
    }
}
