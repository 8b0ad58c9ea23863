import ConformSupport
import Foundation

/// Reading and writing a baseline file: version 2 as written, version 1 read by shape with a note.
extension Baseline {
    private struct Header: Decodable {
        var format: String
        var version: Int
    }

    private struct FileV2: Codable {
        var format = Baseline.format
        var version = Baseline.version
        var key: String
        var deviations: [Entry]
    }

    private struct FileV1: Decodable {
        var deviations: [LegacyEntry]
    }

    /// Reads a baseline file; a file that is not one is refused with the reason.
    static func load(_ path: String) throws(BaselineError) -> Baseline {
        let data: Data
        do {
            data = try InputFile.read(path)
        } catch {
            throw BaselineError(path: path, reason: error.description)
        }
        return try decoded(data, path: path)
    }

    /// A baseline from the bytes of its file; `path` names it in errors and in the note of a version 1 file.
    static func decoded(_ data: Data, path: String) throws(BaselineError) -> Baseline {
        guard let header = try? JSONDecoder().decode(Header.self, from: data), header.format == format else {
            throw BaselineError(path: path, reason: "not a conform baseline (written by --write-baseline)")
        }
        switch header.version {
        case 1:
            guard let file = try? JSONDecoder().decode(FileV1.self, from: data) else {
                throw BaselineError(path: path, reason: "not a conform baseline (written by --write-baseline)")
            }
            var baseline = Baseline(deviations: [])
            baseline.legacy = file.deviations
            baseline.legacyNote = Self.legacyNote(path)
            return baseline
        case version:
            guard let file = try? JSONDecoder().decode(FileV2.self, from: data), Self.isKey(file.key) else {
                throw BaselineError(path: path, reason: "not a conform baseline (written by --write-baseline)")
            }
            return Baseline(key: file.key, deviations: file.deviations)
        default:
            throw BaselineError(
                path: path, reason: "baseline version \(header.version); this conform reads versions 1 and 2")
        }
    }

    /// What is said of a version 1 file.
    static func legacyNote(_ path: String) -> String {
        "--baseline \(path): recorded by an older conform (version 1, matched by the wording of messages); re-record with --write-baseline \(path)"
    }

    /// 64 lowercase hex digits.
    private static func isKey(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// Pretty-printed, keys sorted: a file meant for review in version control.
    func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(FileV2(key: key, deviations: deviations))) ?? Data()
    }
}
