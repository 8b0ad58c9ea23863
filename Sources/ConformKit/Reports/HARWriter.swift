import ConformHTTP
import ConformJSON
import ConformSupport
import Foundation
import NIOConcurrencyHelpers

/// `--har PATH`: every exchange of the run as HAR 1.2 (the HTTP Archive format browsers' developer tools
/// open), written through the output boundary like every report, so secrets are masked.
///
/// Timings map conform's phases onto HAR's: `blocked` is conform's queue, `dns`, `connect` (TCP and, as HAR
/// 1.2 says, the TLS handshake too), `ssl` (the handshake alone), `send`, `wait` and `receive` (the
/// download); `-1` marks a phase that did not happen (a reused connection has no `dns`, `connect` or `ssl`).
/// `time` is the sum of the phases. A request that got no response has status 0 and the reason in
/// `_error`. Response bodies are kept up to ``bodyLimit`` bytes each, cut at the start of a character, and a
/// cut body's text ends in "…" like every cut conform makes (so that the masker masks the start of a secret
/// the cut went through); the archive keeps up to ``entryLimit`` exchanges, and says in a comment how many
/// it left out.
///
/// Memory stays small whatever the run sends: each exchange is encoded as it is recorded and waits in a
/// ``SpillFile`` (sealed, unmasked: a secret may be learnt later in the run); the archive is put together at
/// the end, one entry at a time, each masked on its way out (``write(_:)``). Memory holds where each entry
/// is (32 bytes an entry) and the entries being recorded or written, never the archive.
///
/// Each suite is one of the archive's `pages` (its `id` and `title` are the suite's name, its start the
/// first exchange's), and every entry names its page in `pageref`, so that a browser's developer tools group
/// the requests by suite. An entry's `comment` says its case and outcome (`case 'refresh': failed: status:
/// expected 200, got 400`); a sample sent for a latency comparison names the comparison too.
final class HARRecorder: Sendable {
    static let entryLimit = 10_000
    static let bodyLimit = 64 << 10

    struct Entry: Sendable {
        var started: Date
        var suite: String
        var testCase: String
        /// The comparison case this exchange is a sample for, if any.
        var comparison: String?
        /// `passed`, `failed: …`, `error (kind): …`.
        var outcome: String
        var exchange: Exchange
        /// The response body was longer than ``HARRecorder/bodyLimit``: `exchange` holds its start.
        var bodyCut = false
    }

    /// An entry kept: where its text is, and what orders the archive (its start, then the order of recording).
    private struct Kept {
        var started: Date
        var slot: Int
        var part: SpillFile.Part
    }

    private struct State {
        var kept: [Kept] = []
        /// Entries admitted so far (recorded, or being encoded).
        var admitted = 0
        var dropped = 0
        /// Suite name → the start of its first exchange: the archive's pages.
        var pages: [String: Date] = [:]
        var spill: SpillFile?
        /// Why the archive cannot be written: its temporary file could not be made or written.
        var failure: String?
    }

    private let state = NIOLockedValueBox(State())
    private let spillFolder: String
    private let entryLimit: Int

    /// An archive whose entries wait in the system's temporary folder.
    convenience init() {
        self.init(spillFolder: FileManager.default.temporaryDirectory.path)
    }

    /// An archive whose entries wait in `spillFolder`: the folder of the HAR file, which the run checked it
    /// can write before sending.
    init(spillFolder: String, entryLimit: Int = HARRecorder.entryLimit) {
        self.spillFolder = spillFolder
        self.entryLimit = entryLimit
    }

    /// Keeps the exchange in the archive; `false` when the archive is full and it is left out.
    @discardableResult
    func record(
        _ exchange: Exchange, started: Date, suite: String, testCase: String, outcome: String = "sent",
        comparison: String? = nil
    ) -> Bool {
        let slot = state.withLockedValue { state -> Int? in
            guard state.failure == nil else { return nil }
            if state.pages[suite].map({ started < $0 }) ?? true { state.pages[suite] = started }
            guard state.admitted < entryLimit else {
                state.dropped += 1
                return nil
            }
            state.admitted += 1
            return state.admitted - 1
        }
        guard let slot else { return false }
        var entry = Entry(
            started: started, suite: suite, testCase: testCase, comparison: comparison, outcome: outcome,
            exchange: exchange)
        if let body = exchange.response?.body, body.count > Self.bodyLimit {
            entry.exchange.response?.body = Self.head(of: body)
            entry.bodyCut = true
        }
        do {
            let part = try spillFile().append(try Self.encoder.encode(Self.entry(entry)))
            state.withLockedValue { $0.kept.append(Kept(started: started, slot: slot, part: part)) }
            return true
        } catch {
            state.withLockedValue { state in
                if state.failure == nil { state.failure = "\(error)" }
            }
            return false
        }
    }

    /// The spill file, made on the first entry.
    private func spillFile() throws -> SpillFile {
        try state.withLockedValue { state in
            if let spill = state.spill { return spill }
            let spill = try SpillFile(folder: spillFolder)
            state.spill = spill
            return spill
        }
    }

    /// The first ``bodyLimit`` bytes of a body, or fewer so as not to end inside a UTF-8 sequence, copied:
    /// a slice would keep the whole body alive as long as the archive.
    private static func head(of body: Data) -> Data {
        var end = body.startIndex + bodyLimit
        // A continuation byte just past the cut means the character began before it: cut before that.
        var backed = 0
        while backed < 3, end > body.startIndex, body[end] & 0xC0 == 0x80 {
            end -= 1
            backed += 1
        }
        return body[body.startIndex..<end].withUnsafeBytes { Data($0) }
    }

    /// Hands the archive over as JSON text in parts, not masked: its head, each entry, its tail. A part
    /// begins and ends outside any JSON string, so that the output boundary masks each one alone exactly as
    /// it would mask the whole document. Throws when the entries could not be kept.
    func write(_ part: (String) throws -> Void) throws {
        let (kept, dropped, spill, failure, pages) = state.withLockedValue { state in
            (state.kept, state.dropped, state.spill, state.failure, state.pages)
        }
        if let failure { throw HARFailure(reason: failure) }
        let order = kept.sorted { ($0.started, $0.slot) < ($1.started, $1.slot) }
        let (head, tail) = Self.frame(entries: !order.isEmpty, dropped: dropped, limit: entryLimit, pages: pages)
        try part(head)
        for (index, entry) in order.enumerated() {
            guard let spill else { break }
            let text = Self.nested(try spill.read(entry.part))
            try part(index == 0 ? text : ",\n" + text)
        }
        try part(tail)
    }

    /// The archive as JSON, not masked (tests).
    func document() -> Data {
        var document = Data()
        do {
            try write { document += Data($0.utf8) }
        } catch {
            return Data()
        }
        return document
    }

    /// The encoder of the archive (and of each entry alone).
    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// What comes before and after the entries: the archive without them, encoded with one placeholder entry
    /// whose line is cut out (with no entry, the whole archive is the head).
    private static func frame(
        entries: Bool, dropped: Int, limit: Int, pages: [String: Date] = [:]
    ) -> (head: String, tail: String) {
        let placeholder = "conform-har-entries"
        var log: [String: JSONValue] = [
            "version": .string("1.2"),
            "creator": .object(["name": .string("conform"), "version": .string(ConformDefaults.version)]),
            "entries": .array(entries ? [.string(placeholder)] : []),
        ]
        if !pages.isEmpty {
            log["pages"] = .array(
                pages.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map { page -> JSONValue in
                    .object([
                        "startedDateTime": .string(iso8601(page.value)), "id": .string(page.key),
                        "title": .string(page.key),
                        "pageTimings": .object(["onContentLoad": .number(-1), "onLoad": .number(-1)]),
                    ])
                })
        }
        if dropped > 0 {
            log["comment"] = .string(
                "\(dropped) more exchanges were left out: conform keeps the first \(limit)")
        }
        let text = String(
            decoding: (try? encoder.encode(JSONValue.object(["log": .object(log)]))) ?? Data(), as: UTF8.self)
        guard entries, let line = text.range(of: nesting + "\"\(placeholder)\"") else { return (text, "") }
        return (String(text[..<line.lowerBound]), String(text[line.upperBound...]))
    }

    /// The indentation of an entry in the archive: three levels in (`{ "log": { "entries": [`).
    private static let nesting = String(repeating: " ", count: 6)

    /// An entry encoded alone, indented as it is inside the archive: every line but the empty ones (the
    /// encoder writes an empty object as "{", an empty line, "}").
    private static func nested(_ entry: Data) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(entry.count + entry.count / 8)
        var lineStart = true
        for byte in entry {
            if lineStart && byte != UInt8(ascii: "\n") { text.append(contentsOf: nesting.utf8) }
            text.append(byte)
            lineStart = byte == UInt8(ascii: "\n")
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// The HAR's entries could not be kept: why.
struct HARFailure: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
