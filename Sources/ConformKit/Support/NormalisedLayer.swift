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

    private struct Mark {
        var scalar: Unicode.Scalar
        var combiningClass: UInt8
        var start: Int32
        var end: Int32
    }

    init?(_ source: UnsafeBufferPointer<UInt8>, start: (Int) -> Int32, end: (Int) -> Int32) {
        guard source.contains(where: { $0 >= 0x80 }) else { return nil }
        bytes.reserveCapacity(source.count)
        starts.reserveCapacity(source.count)
        ends.reserveCapacity(source.count)
        var decompositions: [UInt32: [Unicode.Scalar]] = [:]
        var run: [Mark] = []
        var changed = false
        var index = 0
        while index < source.count {
            let lead = source[index]
            let length = Self.sequenceLength(source, at: index)
            guard lead >= 0x80, length > 0 else {
                flush(&run, changed: &changed)
                append(bytes: [lead], start: start(index), end: end(index))
                index += 1
                continue
            }
            let scalar = Self.scalar(source, at: index, length: length)
            let unitStart = start(index)
            let unitEnd = end(index + length - 1)
            let parts: [Unicode.Scalar]
            if let known = decompositions[scalar.value] {
                parts = known
            } else {
                parts = Array(String(Character(scalar)).decomposedStringWithCanonicalMapping.unicodeScalars)
                decompositions[scalar.value] = parts
            }
            if parts != [scalar] { changed = true }
            for part in parts {
                let combiningClass = UInt8(part.properties.canonicalCombiningClass.rawValue)
                if combiningClass == 0 {
                    flush(&run, changed: &changed)
                    append(part, start: unitStart, end: unitEnd)
                } else {
                    run.append(Mark(scalar: part, combiningClass: combiningClass, start: unitStart, end: unitEnd))
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
            for mark in run { append(mark.scalar, start: mark.start, end: mark.end) }
            return
        }
        let ordered = run.enumerated().sorted {
            ($0.element.combiningClass, $0.offset) < ($1.element.combiningClass, $1.offset)
        }.map(\.element)
        guard !zip(ordered, run).allSatisfy({ $0.scalar == $1.scalar }) else {
            for mark in run { append(mark.scalar, start: mark.start, end: mark.end) }
            return
        }
        changed = true
        let lower = run.map(\.start).min() ?? 0
        let upper = run.map(\.end).max() ?? 0
        for mark in ordered { append(mark.scalar, start: lower, end: upper) }
    }

    private mutating func append(_ scalar: Unicode.Scalar, start: Int32, end: Int32) {
        append(bytes: Array(String(scalar).utf8), start: start, end: end)
    }

    private mutating func append(bytes unit: [UInt8], start: Int32, end: Int32) {
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
