import Foundation

/// A text read in Unicode's canonical decomposition (NFD), each byte mapped to the range of the original text
/// it came from; `nil` when the text is the same in NFD (all ASCII, or already decomposed and ordered).
///
/// The masker keeps every secret in NFD too, so a secret is found in any canonically equivalent spelling:
/// NFC, NFD, or a mix (`ê` followed by a combining dot below, for `ệ`). Each scalar is decomposed alone
/// (decompositions are cached per scalar), then each run of combining marks is put in canonical order; a
/// reordered run maps as a whole to the original bytes it came from. A run longer than
/// ``longestReorderedRun`` marks (Unicode's stream-safe limit is 30) is left in its order, so the work stays
/// linear in the text whatever it holds.
struct NormalisedLayer {
    static let longestReorderedRun = 32

    var bytes: [UInt8] = []
    var starts: [Int32] = []
    var ends: [Int32] = []

    /// A scalar of a decomposition, with what is asked of it for every occurrence.
    private struct Part {
        var scalar: Unicode.Scalar
        var combiningClass: UInt8
        var utf8: [UInt8]

        init(_ scalar: Unicode.Scalar) {
            self.scalar = scalar
            combiningClass = UInt8(scalar.properties.canonicalCombiningClass.rawValue)
            utf8 = Array(String(scalar).utf8)
        }
    }

    private struct Mark {
        var part: Part
        var start: Int32
        var end: Int32
    }

    init?(_ source: UnsafeBufferPointer<UInt8>, start: (Int) -> Int32, end: (Int) -> Int32) {
        guard source.contains(where: { $0 >= 0x80 }) else { return nil }
        bytes.reserveCapacity(source.count)
        starts.reserveCapacity(source.count)
        ends.reserveCapacity(source.count)
        var decompositions: [UInt32: [Part]] = [:]
        var run: [Mark] = []
        var changed = false
        var index = 0
        while index < source.count {
            let lead = source[index]
            let length = Self.sequenceLength(source, at: index)
            guard lead >= 0x80, length > 0 else {
                flush(&run, changed: &changed)
                append(bytes: CollectionOfOne(lead), start: start(index), end: end(index))
                index += 1
                continue
            }
            let scalar = Self.scalar(source, at: index, length: length)
            let unitStart = start(index)
            let unitEnd = end(index + length - 1)
            let parts: [Part]
            if let known = decompositions[scalar.value] {
                parts = known
            } else {
                parts = String(Character(scalar)).decomposedStringWithCanonicalMapping.unicodeScalars.map(Part.init)
                decompositions[scalar.value] = parts
            }
            if parts.count == 1, parts[0].combiningClass == 0, parts[0].scalar == scalar {
                // A starter that is its own decomposition, the common case: its bytes as they are.
                flush(&run, changed: &changed)
                append(
                    bytes: UnsafeBufferPointer(rebasing: source[index..<(index + length)]), start: unitStart,
                    end: unitEnd)
                index += length
                continue
            }
            if parts.count != 1 || parts[0].scalar != scalar { changed = true }
            for part in parts {
                if part.combiningClass == 0 {
                    flush(&run, changed: &changed)
                    append(bytes: part.utf8, start: unitStart, end: unitEnd)
                } else {
                    run.append(Mark(part: part, start: unitStart, end: unitEnd))
                }
            }
            index += length
        }
        flush(&run, changed: &changed)
        guard changed else { return nil }
    }

    /// Writes a run of combining marks in canonical order (a stable sort by combining class).
    private mutating func flush(_ run: inout [Mark], changed: inout Bool) {
        defer { run.removeAll(keepingCapacity: true) }
        guard run.count > 1, run.count <= Self.longestReorderedRun else {
            for mark in run { append(bytes: mark.part.utf8, start: mark.start, end: mark.end) }
            return
        }
        let ordered = run.enumerated().sorted {
            ($0.element.part.combiningClass, $0.offset) < ($1.element.part.combiningClass, $1.offset)
        }.map(\.element)
        guard !zip(ordered, run).allSatisfy({ $0.part.scalar == $1.part.scalar }) else {
            for mark in run { append(bytes: mark.part.utf8, start: mark.start, end: mark.end) }
            return
        }
        changed = true
        let lower = run.map(\.start).min() ?? 0
        let upper = run.map(\.end).max() ?? 0
        for mark in ordered { append(bytes: mark.part.utf8, start: lower, end: upper) }
    }

    private mutating func append(bytes unit: some Collection<UInt8>, start: Int32, end: Int32) {
        for byte in unit {
            bytes.append(byte)
            starts.append(start)
            ends.append(end)
        }
    }

    /// The length of the valid UTF-8 sequence at `index`, or 0.
    private static func sequenceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let lead = bytes[index]
        let length: Int
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return 0
        }
        guard index + length <= bytes.count else { return 0 }
        var decoder = UTF8()
        var iterator = bytes[index..<(index + length)].makeIterator()
        guard case .scalarValue = decoder.decode(&iterator) else { return 0 }
        return length
    }

    private static func scalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, length: Int) -> Unicode.Scalar {
        var decoder = UTF8()
        var iterator = bytes[index..<(index + length)].makeIterator()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return scalar }
        return "\u{FFFD}"
    }
}
