import Foundation
import NIOConcurrencyHelpers

/// Where everything conform prints or writes leaves it: the console lines, standard error, GitHub Actions
/// annotations and step summary, the JUnit, HTML and JSON reports.
///
/// Results are plain data inside conform; each output renders its own text and hands it here, and here
/// alone every known secret is masked (``SecretStore``, ``SecretMasker``). A new output cannot forget to
/// mask: there is no other way out. Text for a terminal is also made harmless here: control characters
/// and escape sequences are shown escaped (`\u{1B}[31m`), and a line that would read as a GitHub workflow
/// command (`::add-mask::…`, at any indentation) is escaped unless conform itself issues it.
///
/// Documents are masked in their content only (XML text and attribute values, JSON strings), so that a
/// secret that happens to equal a word of the markup can never break a report.
final class OutputBoundary: Sendable {
    enum Stream: Sendable {
        /// Standard output.
        case output
        /// Standard error.
        case error
    }

    /// The syntax of a document, which says where its content is.
    enum DocumentFormat: Sendable {
        case text
        case xml
        case json
    }

    let secrets: SecretStore
    private let output: any TextOutput
    private let errors: any TextOutput
    /// The command line's printer of diagnostics, which writes to standard error.
    let diagnosticConsumer: any DiagnosticConsumer
    private let colour: Bool
    /// `COLUMNS`, for a terminal that does not say how wide it is.
    private let environment: [String: String]
    /// The stream that shows a live progress line now, which the next line printed there must erase. Every
    /// write to a stream happens under this lock, with the update of the flag: a progress line and a line
    /// printed from another task cannot interleave so that the flag says otherwise than the screen.
    private let progressShown = NIOLockedValueBox<Stream?>(nil)

    init(
        secrets: SecretStore = SecretStore(), output: any TextOutput, errors: any TextOutput,
        diagnostics: any DiagnosticConsumer, environment: [String: String] = [:]
    ) {
        self.secrets = secrets
        self.output = output
        self.errors = errors
        self.diagnosticConsumer = diagnostics
        self.colour = environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
        self.environment = environment.filter { $0.key == "COLUMNS" }
        secrets.onShortSecret { [weak self] warning in self?.diagnose(warning) }
    }

    private func stream(_ stream: Stream) -> any TextOutput {
        stream == .output ? output : errors
    }

    /// `true` when the stream is a terminal.
    func isTerminal(_ stream: Stream) -> Bool {
        self.stream(stream).isTerminal
    }

    /// Prints lines of text, masked and made safe for a terminal; a line's style colours it on a terminal.
    func print(_ lines: [(text: String, style: ConsoleStyle)], to stream: Stream) {
        let target = self.stream(stream)
        let colour = self.colour && target.isTerminal
        let masker = secrets.masker
        var text = ""
        for line in lines {
            for part in line.text.split(separator: "\n", omittingEmptySubsequences: false) {
                let safe = TerminalText.neutralised(masker.mask(String(part)))
                text += colour && line.style != .plain ? "\(line.style.code)\(safe)\u{1B}[0m\n" : safe + "\n"
            }
        }
        write(text, to: stream)
    }

    /// Prints plain text (each line of it), masked and made safe for a terminal.
    func print(_ text: String, to stream: Stream) {
        print([(text, .plain)], to: stream)
    }

    /// Prints a GitHub workflow command conform itself issues: masked, its own `::` kept.
    func command(_ line: String, to stream: Stream) {
        let masked = secrets.masker.mask(line)
        write(TerminalText.escapingControlCharacters(masked) + "\n", to: stream)
    }

    /// Shows a live progress line on a terminal, replacing the one before; the next line printed erases it.
    /// The line is cut to the terminal's width (``TerminalWidth``): a line that wrapped would leave a new
    /// line on the screen at every redraw.
    func progress(_ line: String, to stream: Stream) {
        let target = self.stream(stream)
        guard target.isTerminal else { return }
        let columns = TerminalWidth.columns(reported: target.columns, environment: environment)
        let safe = TerminalWidth.fitted(
            TerminalText.escapingControlCharacters(secrets.masker.mask(line)), columns: columns)
        progressShown.withLockedValue { shown in
            shown = stream
            self.stream(stream).write(Self.eraseLine + safe)
        }
    }

    /// Erases the progress line, if one is shown.
    func clearProgress() {
        progressShown.withLockedValue { shown in
            guard let stream = shown else { return }
            shown = nil
            self.stream(stream).write(Self.eraseLine)
        }
    }

    private static let eraseLine = "\r\u{1B}[K"

    /// Writes text to a stream, erasing first the progress line shown there, if any.
    private func write(_ text: String, to stream: Stream) {
        writing(to: stream) { $0.write(text) }
    }

    /// Runs `write` with the stream, under the lock of the progress line, which it first erases if the stream
    /// shows one: whatever `write` writes there starts on a clean line.
    func writing(to stream: Stream, _ write: (any TextOutput) -> Void) {
        progressShown.withLockedValue { shown in
            let target = self.stream(stream)
            if shown == stream {
                shown = nil
                target.write(Self.eraseLine)
            }
            write(target)
        }
    }

    /// A document masked in its content.
    func masked(_ document: String, as format: DocumentFormat) -> String {
        let masker = secrets.masker
        switch format {
        case .text: return masker.mask(document)
        case .xml: return masker.mask(document, within: DocumentRegions.xmlContent(document))
        case .json: return masker.mask(document, within: DocumentRegions.jsonStrings(document))
        }
    }

    /// Writes a document to a stream (the JSON results on standard output), masked.
    func write(_ document: String, as format: DocumentFormat, to stream: Stream) {
        write(masked(document, as: format), to: stream)
    }

    /// Writes a report atomically (``ReportFile``), masked.
    func writeReport(_ document: Data, as format: DocumentFormat, to path: String) throws(ReportFileError) {
        try writeReport(to: path, as: format) { part in try part(String(decoding: document, as: UTF8.self)) }
    }

    /// Writes a report atomically (``ReportFile``) part by part, each part masked alone: a part begins and
    /// ends outside the document's strings and tags (a HAR entry), so that what is masked is what masking the
    /// whole document would mask, and the whole document is never in memory.
    func writeReport(
        to path: String, as format: DocumentFormat, _ parts: ((String) throws -> Void) throws -> Void
    ) throws(ReportFileError) {
        try ReportFile.write(to: path) { file in
            try parts { part in try file.write(Data(self.masked(part, as: format).utf8)) }
        }
    }

    /// Appends text to a file (the GitHub step summary), masked.
    func append(_ text: String, to path: String) throws {
        try ReportFile.append(Data(masked(text, as: .text).utf8), to: path)
    }
}

/// How a console line is coloured on a terminal.
enum ConsoleStyle: Sendable {
    case plain, bold, pass, fail, error, skip, warning

    var code: String {
        switch self {
        case .plain: ""
        case .bold: "\u{1B}[1m"
        case .pass: "\u{1B}[32m"
        case .fail: "\u{1B}[31m"
        case .error: "\u{1B}[35m"
        case .skip, .warning: "\u{1B}[33m"
        }
    }
}

/// Text made safe for a terminal and for a CI log.
enum TerminalText {
    /// Control characters (C0 but tab, DEL, C1) and bidirectional overrides shown as `\u{1B}`, and a line
    /// that would read as a GitHub workflow command escaped with a leading `\`.
    static func neutralised(_ line: String) -> String {
        let escaped = escapingControlCharacters(line)
        let start = escaped.drop { $0 == " " || $0 == "\t" }
        return start.hasPrefix("::") ? "\\" + escaped : escaped
    }

    /// Each line of `text` ``neutralised(_:)``: a text of several lines cannot start a workflow command on
    /// any of them.
    static func neutralisedLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { neutralised(String($0)) }
            .joined(separator: "\n")
    }

    static func escapingControlCharacters(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09: false
        case 0x00...0x1F, 0x7F...0x9F: true
        // Bidirectional embeddings, overrides and isolates reorder what a reader sees.
        case 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}

/// Where the content of a document conform wrote is: masking touches only these ranges (UTF-8 offsets).
enum DocumentRegions {
    /// Text, CDATA and attribute values of an XML (or XHTML) document; not names, comments or declarations.
    static func xmlContent(_ document: String) -> [Range<Int>] {
        var document = document
        return document.withUTF8 { bytes in
            var regions: [Range<Int>] = []
            var index = 0
            var textStart = 0
            func starts(_ prefix: String, at position: Int) -> Bool {
                let prefix = Array(prefix.utf8)
                return position + prefix.count <= bytes.count
                    && bytes[position..<(position + prefix.count)].elementsEqual(prefix)
            }
            func skip(past terminator: String, from position: Int) -> Int {
                let terminator = Array(terminator.utf8)
                var cursor = position
                while cursor < bytes.count {
                    if bytes[cursor] == terminator[0], cursor + terminator.count <= bytes.count,
                        bytes[cursor..<(cursor + terminator.count)].elementsEqual(terminator)
                    {
                        return cursor + terminator.count
                    }
                    cursor += 1
                }
                return bytes.count
            }
            while index < bytes.count {
                guard bytes[index] == UInt8(ascii: "<") else {
                    index += 1
                    continue
                }
                if textStart < index { regions.append(textStart..<index) }
                if starts("<![CDATA[", at: index) {
                    let end = skip(past: "]]>", from: index + 9)
                    regions.append((index + 9)..<max(index + 9, end - 3))
                    index = end
                } else if starts("<!--", at: index) {
                    index = skip(past: "-->", from: index + 4)
                } else if starts("<?", at: index) {
                    index = skip(past: "?>", from: index + 2)
                } else {
                    // A tag or a declaration: its quoted values are content.
                    index += 1
                    while index < bytes.count, bytes[index] != UInt8(ascii: ">") {
                        let byte = bytes[index]
                        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                            var end = index + 1
                            while end < bytes.count, bytes[end] != byte { end += 1 }
                            regions.append((index + 1)..<end)
                            index = end
                        }
                        index += 1
                    }
                    index += 1
                }
                textStart = index
            }
            if textStart < bytes.count { regions.append(textStart..<bytes.count) }
            return regions
        }
    }

    /// The contents of the string literals (keys and values) of a JSON document.
    static func jsonStrings(_ document: String) -> [Range<Int>] {
        var document = document
        return document.withUTF8 { bytes in
            var regions: [Range<Int>] = []
            var index = 0
            while index < bytes.count {
                guard bytes[index] == UInt8(ascii: "\"") else {
                    index += 1
                    continue
                }
                let start = index + 1
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
                    end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1
                }
                end = min(end, bytes.count)
                regions.append(start..<end)
                index = end + 1
            }
            return regions
        }
    }
}
