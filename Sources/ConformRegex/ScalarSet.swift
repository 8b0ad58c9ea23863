/// A set of code points: what one step of a class, `.`, `\d` or `\p{…}` accepts.
///
/// Code points are `UInt32` values so that a class may name surrogates (`[\uD800-\uDFFF]`) as ECMA-262
/// allows; no Swift string holds one, so they simply never match.
struct ScalarSet: Sendable {
    /// Sorted, non-overlapping, non-adjacent ranges.
    private(set) var ranges: [ClosedRange<UInt32>]
    /// `\p{…}` (`isNegated` false) and `\P{…}` (true) inside the set.
    private(set) var properties: [(property: UnicodeProperty, isNegated: Bool)]
    /// `[^…]`: the set holds every code point the rest does not.
    var isInverted: Bool

    static let maximumCodePoint: UInt32 = 0x10FFFF

    init(ranges: [ClosedRange<UInt32>] = [], isInverted: Bool = false) {
        self.ranges = Self.normalized(ranges)
        self.properties = []
        self.isInverted = isInverted
    }

    static func property(_ property: UnicodeProperty, negated: Bool) -> ScalarSet {
        var set = ScalarSet()
        set.properties = [(property, negated)]
        return set
    }

    /// The one code point, when the set is exactly that.
    var singleValue: UInt32? {
        guard !isInverted, properties.isEmpty, ranges.count == 1, ranges[0].count == 1 else { return nil }
        return ranges[0].lowerBound
    }

    func contains(_ value: UInt32) -> Bool {
        var found = rangesContain(value)
        if !found, !properties.isEmpty, let scalar = Unicode.Scalar(value) {
            found = properties.contains { $0.property.contains(scalar) != $0.isNegated }
        }
        return found != isInverted
    }

    private func rangesContain(_ value: UInt32) -> Bool {
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound < value {
                low = middle + 1
            } else if ranges[middle].lowerBound > value {
                high = middle
            } else {
                return true
            }
        }
        return false
    }

    /// Adds a class item (`a`, `a-z`, `\d`, `\P{L}`) to a class being built. `other` must not be inverted
    /// unless it is a plain range set, whose complement is then added.
    mutating func formUnion(_ other: ScalarSet) {
        if other.isInverted, other.properties.isEmpty {
            ranges = Self.normalized(ranges + Self.complement(other.ranges))
        } else {
            ranges = Self.normalized(ranges + other.ranges)
            properties += other.properties
        }
    }

    private static func normalized(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<UInt32>] = []
        for range in sorted {
            if let last = merged.last, range.lowerBound <= last.upperBound &+ 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    private static func complement(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in normalized(ranges) {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            if range.upperBound >= maximumCodePoint { return result }
            next = range.upperBound + 1
        }
        result.append(next...maximumCodePoint)
        return result
    }

    // MARK: - The sets ECMA-262 names

    /// `\d`.
    static let digits = ScalarSet(ranges: [0x30...0x39])
    /// `\w`: ASCII letters, digits and `_` (Unicode mode without the `i` flag).
    static let word = ScalarSet(ranges: [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
    /// `\s`: ECMA-262's WhiteSpace (with every Zs space) and LineTerminator.
    static let whitespace = ScalarSet(ranges: [
        0x09...0x0D, 0x20...0x20, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A, 0x2028...0x2029,
        0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000, 0xFEFF...0xFEFF,
    ])
    /// `.`: anything but a line terminator (without the `s` flag).
    static let dot = ScalarSet(ranges: [0x0A...0x0A, 0x0D...0x0D, 0x2028...0x2029], isInverted: true)

    static func isWord(_ value: UInt32?) -> Bool {
        guard let value else { return false }
        return word.contains(value)
    }
}
