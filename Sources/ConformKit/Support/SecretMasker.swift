/// Replaces every known secret in a text with `***`, in time linear in the length of the text.
///
/// The secrets are compiled once into an Aho–Corasick automaton over their UTF-8 bytes, and a text is
/// scanned as it is, byte by byte, then, while it holds a `\`, `&` or `%`, decoded once more and scanned
/// again, up to ``maximumLayers`` times: JSON escapes (`\u002B`, `\/`, surrogate pairs), XML character and
/// entity references (`&#67;`, `&#x43;`, `&amp;`) and percent-encoding (`%2B`) are read as the characters
/// they stand for. A secret is found however an endpoint spelt it, and also when conform's own outputs
/// add their layer on top (a JSON-escaped echo quoted in a message, then written into a JSON or XML
/// report). Each decoded byte remembers where it came from, so what is masked is the encoded text.
///
/// Two rules keep masking from garbling text:
/// - a secret shorter than ``minimumLength`` bytes is masked only where it stands as a whole value: after
///   a quote, `>` or `=`, and before a quote, `<`, `&`, `;`, `,`, whitespace or the end;
/// - a text cut with "…" that ends in the first four characters or more of a secret has them masked
///   (the automaton's state says how long the longest such start is, so this costs nothing extra).
struct SecretMasker: Sendable {
    /// Secrets shorter than this are masked only as whole values.
    static let minimumLength = 6
    /// The shortest start of a secret before a "…" that is masked.
    static let shortestMaskedPrefix = 4
    /// Layers of encoding read through: an endpoint's, a message's quoting, a report's syntax.
    static let maximumLayers = 3

    private let automaton: Automaton

    init(secrets: some Sequence<String>) {
        var patterns: [[UInt8]] = []
        for secret in secrets where !secret.isEmpty {
            patterns.append(Array(secret.utf8))
            // A form body writes a space as `+` (percent escapes are read as any other encoding).
            if secret.contains(" ") { patterns.append(Array(secret.replacingOccurrences(of: " ", with: "+").utf8)) }
        }
        automaton = Automaton(patterns: patterns)
    }

    var isEmpty: Bool { automaton.isEmpty }

    /// The text with every secret replaced by `***`; the same string when there is none.
    func mask(_ text: String) -> String {
        guard !automaton.isEmpty, !text.isEmpty else { return text }
        var text = text
        return text.withUTF8 { bytes in
            let ranges = maskedRanges(in: bytes)
            guard !ranges.isEmpty else { return String(decoding: bytes, as: UTF8.self) }
            return String(decoding: Self.replacing(ranges, in: bytes), as: UTF8.self)
        }
    }

    /// Masks only inside the given ranges of the text (the content of an XML or JSON document), leaving its
    /// markup as it is.
    func mask(_ text: String, within regions: [Range<Int>]) -> String {
        guard !automaton.isEmpty, !regions.isEmpty else { return text }
        var text = text
        return text.withUTF8 { bytes in
            var ranges: [Range<Int>] = []
            for region in regions {
                let slice = UnsafeBufferPointer(rebasing: bytes[region])
                ranges += maskedRanges(in: slice).map { ($0.lowerBound + region.lowerBound)..<($0.upperBound + region.lowerBound) }
            }
            guard !ranges.isEmpty else { return String(decoding: bytes, as: UTF8.self) }
            return String(decoding: Self.replacing(ranges, in: bytes), as: UTF8.self)
        }
    }

    /// The byte ranges to mask, sorted and merged.
    func maskedRanges(in bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var ranges = scan(Layer(bytes: bytes))
        var layer: DecodedLayer?
        for _ in 0..<Self.maximumLayers {
            let next = layer.map { DecodedLayer(decoding: $0) } ?? DecodedLayer(decoding: bytes)
            guard let next else { break }
            ranges += next.bytes.withUnsafeBufferPointer { decoded in
                scan(Layer(bytes: decoded, starts: next.starts, ends: next.ends, source: bytes))
            }
            layer = next
        }
        return Self.merged(ranges)
    }

    private static func merged(_ ranges: [Range<Int>]) -> [Range<Int>] {
        guard ranges.count > 1 else { return ranges }
        let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
        var result: [Range<Int>] = [sorted[0]]
        for range in sorted.dropFirst() {
            if range.lowerBound <= result[result.count - 1].upperBound {
                let last = result.removeLast()
                result.append(last.lowerBound..<max(last.upperBound, range.upperBound))
            } else {
                result.append(range)
            }
        }
        return result
    }

    private static func replacing(_ ranges: [Range<Int>], in bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        for range in ranges {
            output.append(contentsOf: bytes[index..<range.lowerBound])
            output.append(contentsOf: mask)
            index = range.upperBound
        }
        output.append(contentsOf: bytes[index...])
        return output
    }

    private static let mask = Array(ConformDefaults.redactionMask.utf8)
    private static let ellipsis: [UInt8] = [0xE2, 0x80, 0xA6]

    /// A text to scan: the original, or a decoded layer whose bytes map back to ranges of the original.
    private struct Layer {
        var bytes: UnsafeBufferPointer<UInt8>
        var starts: [Int32]? = nil
        var ends: [Int32]? = nil
        /// The original text, where ranges are masked and whole values are judged.
        var source: UnsafeBufferPointer<UInt8>? = nil

        func start(_ index: Int) -> Int { starts.map { Int($0[index]) } ?? index }
        func end(_ index: Int) -> Int { ends.map { Int($0[index]) } ?? index + 1 }
        var original: UnsafeBufferPointer<UInt8> { source ?? bytes }
    }

    /// One pass of the automaton over a layer.
    private func scan(_ layer: Layer) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        let bytes = layer.bytes
        var state = Automaton.root
        for index in 0..<bytes.count {
            let byte = bytes[index]
            if byte == Self.ellipsis[0], Self.isEllipsis(bytes, at: index) {
                let length = automaton.prefixLength(endingIn: state)
                if length >= Self.shortestMaskedPrefix, length <= index {
                    ranges.append(layer.start(index - length)..<layer.start(index))
                }
            }
            state = automaton.step(state, byte)
            var terminal = automaton.longestMatch(state)
            while terminal != Automaton.none {
                let length = automaton.depth(terminal)
                let range = layer.start(index + 1 - length)..<layer.end(index)
                if length >= Self.minimumLength || Self.standsAlone(layer.original, range) {
                    ranges.append(range)
                    break
                }
                terminal = automaton.nextMatch(terminal)
            }
        }
        return ranges
    }

    private static func isEllipsis(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        index + 3 <= bytes.count && bytes[index + 1] == ellipsis[1] && bytes[index + 2] == ellipsis[2]
    }

    /// A short secret is masked only as a whole value: `"abc"`, `>abc<`, `=abc&`.
    private static func standsAlone(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        guard range.lowerBound > 0 else { return false }
        let before = bytes[range.lowerBound - 1]
        guard [UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: ">"), UInt8(ascii: "=")].contains(before) else {
            return false
        }
        guard range.upperBound < bytes.count else { return true }
        let after = bytes[range.upperBound]
        return [
            UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "<"), UInt8(ascii: "&"), UInt8(ascii: ";"),
            UInt8(ascii: ","), UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"),
        ].contains(after)
    }
}

extension SecretMasker {
    /// An Aho–Corasick automaton over bytes: a trie of the patterns with failure links, so that a text is
    /// read once, each byte in amortised constant time, whatever the patterns.
    struct Automaton: Sendable {
        static let root: Int32 = 0
        static let none: Int32 = -1

        /// Children of each state, flattened: state `s` owns `edgeBytes[edgeStart[s]..<edgeStart[s + 1]]`.
        private var edgeStart: [Int32] = []
        private var edgeBytes: [UInt8] = []
        private var edgeTargets: [Int32] = []
        /// The root's children for every byte, the hot path of every scan.
        private var rootNext = [Int32](repeating: 0, count: 256)
        private var fail: [Int32] = []
        private var depths: [Int32] = []
        /// The longest pattern that ends in each state (itself or down its failure links), or `none`.
        private var longest: [Int32] = []
        /// For a state that ends a pattern, the next shorter pattern that ends there too.
        private var next: [Int32] = []
        /// For each state, the deepest state down its failure links (itself included) that starts a pattern
        /// of at least ``SecretMasker/minimumLength`` bytes: what a "…" may have cut.
        private var longPrefix: [Int32] = []
        private(set) var isEmpty = true

        init(patterns: [[UInt8]]) {
            guard !patterns.isEmpty else { return }
            isEmpty = false
            var children: [[UInt8: Int32]] = [[:]]
            var terminal: [Bool] = [false]
            var depth: [Int32] = [0]
            var onLongPattern: [Bool] = [false]
            for pattern in patterns {
                let long = pattern.count >= SecretMasker.minimumLength
                var state = 0
                for byte in pattern {
                    if let child = children[state][byte] {
                        state = Int(child)
                    } else {
                        children.append([:])
                        terminal.append(false)
                        depth.append(depth[state] + 1)
                        onLongPattern.append(false)
                        children[state][byte] = Int32(children.count - 1)
                        state = children.count - 1
                    }
                    if long { onLongPattern[state] = true }
                }
                terminal[state] = true
            }
            let count = children.count
            depths = depth
            for state in 0..<count {
                edgeStart.append(Int32(edgeBytes.count))
                for (byte, target) in children[state].sorted(by: { $0.key < $1.key }) {
                    edgeBytes.append(byte)
                    edgeTargets.append(target)
                }
            }
            edgeStart.append(Int32(edgeBytes.count))
            for (byte, target) in children[0] { rootNext[Int(byte)] = target }
            fail = [Int32](repeating: 0, count: count)
            longest = [Int32](repeating: Self.none, count: count)
            next = [Int32](repeating: Self.none, count: count)
            longPrefix = [Int32](repeating: Self.root, count: count)
            // Breadth first: a state's failure link is shallower, so it is complete when the state is reached.
            var queue: [Int32] = children[0].values.sorted()
            var head = 0
            while head < queue.count {
                let state = Int(queue[head])
                head += 1
                let link = Int(fail[state])
                longest[state] = terminal[state] ? Int32(state) : longest[link]
                next[state] = terminal[state] ? longest[link] : Self.none
                longPrefix[state] = onLongPattern[state] ? Int32(state) : longPrefix[link]
                for (byte, child) in children[state] {
                    var candidate = link
                    var target: Int32 = Self.root
                    while true {
                        if let found = children[candidate][byte], Int(found) != Int(child) {
                            target = found
                            break
                        }
                        if candidate == 0 { break }
                        candidate = Int(fail[candidate])
                    }
                    fail[Int(child)] = target
                    queue.append(child)
                }
            }
        }

        @inline(__always)
        func step(_ state: Int32, _ byte: UInt8) -> Int32 {
            var current = state
            while current != Self.root {
                if let target = child(of: current, byte) { return target }
                current = fail[Int(current)]
            }
            return rootNext[Int(byte)]
        }

        @inline(__always)
        private func child(of state: Int32, _ byte: UInt8) -> Int32? {
            let lower = Int(edgeStart[Int(state)])
            let upper = Int(edgeStart[Int(state) + 1])
            var index = lower
            while index < upper {
                if edgeBytes[index] == byte { return edgeTargets[index] }
                index += 1
            }
            return nil
        }

        func longestMatch(_ state: Int32) -> Int32 { longest[Int(state)] }
        func nextMatch(_ terminal: Int32) -> Int32 { next[Int(terminal)] }
        func depth(_ state: Int32) -> Int { Int(depths[Int(state)]) }

        /// How many of the last bytes read are the start of a long pattern.
        func prefixLength(endingIn state: Int32) -> Int { Int(depths[Int(longPrefix[Int(state)])]) }
    }
}

/// A text with one layer of escapes read, each byte mapped to the range of the original text it came from;
/// `nil` when there is nothing to read.
private struct DecodedLayer {
    var bytes: [UInt8] = []
    var starts: [Int32] = []
    var ends: [Int32] = []

    init?(decoding source: UnsafeBufferPointer<UInt8>) {
        self.init(source, start: { Int32($0) }, end: { Int32($0 + 1) })
    }

    init?(decoding previous: DecodedLayer) {
        let result = previous.bytes.withUnsafeBufferPointer { bytes in
            DecodedLayer(bytes, start: { previous.starts[$0] }, end: { previous.ends[$0] })
        }
        guard let result else { return nil }
        self = result
    }

    private init?(
        _ source: UnsafeBufferPointer<UInt8>, start: (Int) -> Int32, end: (Int) -> Int32
    ) {
        guard source.contains(where: EncodedText.mayStartEscape) else { return nil }
        bytes.reserveCapacity(source.count)
        starts.reserveCapacity(source.count)
        ends.reserveCapacity(source.count)
        var index = 0
        var unit: [UInt8] = []
        var changed = false
        while index < source.count {
            unit.removeAll(keepingCapacity: true)
            let next = EncodedText.decodeUnit(source, at: index, into: &unit)
            if next - index != 1 || unit.count != 1 { changed = true }
            let unitStart = start(index)
            let unitEnd = end(next - 1)
            for byte in unit {
                bytes.append(byte)
                starts.append(unitStart)
                ends.append(unitEnd)
            }
            index = next
        }
        guard changed else { return nil }
    }
}

/// Reads the escapes endpoints write secrets in: JSON (`\u002B`, `\/`), XML (`&#67;`, `&#x43;`, `&amp;`) and
/// percent-encoding (`%2B`).
enum EncodedText {
    static func mayStartEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "%")
    }

    /// Decodes the unit at `index` (an escape, or one byte as it is) into `output`; returns where the next
    /// unit begins. Anything that is not a complete, valid escape is one byte as it is.
    static func decodeUnit(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, into output: inout [UInt8]) -> Int {
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "\\"):
            if let end = jsonEscape(bytes, at: index, into: &output) { return end }
        case UInt8(ascii: "&"):
            if let end = characterReference(bytes, at: index, into: &output) { return end }
        case UInt8(ascii: "%"):
            if index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                output.append(UInt8(high << 4 | low))
                return index + 3
            }
        default:
            break
        }
        output.append(byte)
        return index + 1
    }

    private static func jsonEscape(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, into output: inout [UInt8]) -> Int? {
        guard index + 1 < bytes.count else { return nil }
        switch bytes[index + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"):
            output.append(bytes[index + 1])
            return index + 2
        case UInt8(ascii: "n"): output.append(0x0A); return index + 2
        case UInt8(ascii: "t"): output.append(0x09); return index + 2
        case UInt8(ascii: "r"): output.append(0x0D); return index + 2
        case UInt8(ascii: "b"): output.append(0x08); return index + 2
        case UInt8(ascii: "f"): output.append(0x0C); return index + 2
        case UInt8(ascii: "u"):
            guard let unit = hex4(bytes, at: index + 2) else { return nil }
            if (0xD800...0xDBFF).contains(unit) {
                guard index + 11 < bytes.count, bytes[index + 6] == UInt8(ascii: "\\"),
                    bytes[index + 7] == UInt8(ascii: "u"), let low = hex4(bytes, at: index + 8),
                    (0xDC00...0xDFFF).contains(low)
                else { return nil }
                let scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                appendUTF8(UInt32(scalar), to: &output)
                return index + 12
            }
            guard !(0xDC00...0xDFFF).contains(unit) else { return nil }
            appendUTF8(UInt32(unit), to: &output)
            return index + 6
        default:
            return nil
        }
    }

    private static let entities: [(name: [UInt8], value: UInt8)] = [
        (Array("amp;".utf8), UInt8(ascii: "&")), (Array("lt;".utf8), UInt8(ascii: "<")),
        (Array("gt;".utf8), UInt8(ascii: ">")), (Array("quot;".utf8), UInt8(ascii: "\"")),
        (Array("apos;".utf8), UInt8(ascii: "'")),
    ]

    private static func characterReference(
        _ bytes: UnsafeBufferPointer<UInt8>, at index: Int, into output: inout [UInt8]
    ) -> Int? {
        var position = index + 1
        guard position < bytes.count else { return nil }
        if bytes[position] != UInt8(ascii: "#") {
            for entity in entities where position + entity.name.count <= bytes.count {
                if bytes[position..<(position + entity.name.count)].elementsEqual(entity.name) {
                    output.append(entity.value)
                    return position + entity.name.count
                }
            }
            return nil
        }
        position += 1
        let hexadecimal = position < bytes.count && (bytes[position] | 0x20) == UInt8(ascii: "x")
        if hexadecimal { position += 1 }
        var value: UInt32 = 0
        var digits = 0
        while position < bytes.count, digits < 8 {
            let digit: UInt32?
            if hexadecimal {
                digit = hexValue(bytes[position]).map(UInt32.init)
            } else {
                let byte = bytes[position]
                digit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? UInt32(byte - UInt8(ascii: "0")) : nil
            }
            guard let digit else { break }
            value = value * (hexadecimal ? 16 : 10) + digit
            digits += 1
            position += 1
        }
        guard digits > 0, position < bytes.count, bytes[position] == UInt8(ascii: ";"),
            let scalar = Unicode.Scalar(value)
        else { return nil }
        appendUTF8(scalar.value, to: &output)
        return position + 1
    }

    private static func hex4(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        guard index + 4 <= bytes.count else { return nil }
        var value = 0
        for offset in 0..<4 {
            guard let digit = hexValue(bytes[index + offset]) else { return nil }
            value = value << 4 | Int(digit)
        }
        return value
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func appendUTF8(_ value: UInt32, to output: inout [UInt8]) {
        switch value {
        case ..<0x80:
            output.append(UInt8(value))
        case ..<0x800:
            output += [UInt8(0xC0 | value >> 6), UInt8(0x80 | value & 0x3F)]
        case ..<0x10000:
            output += [UInt8(0xE0 | value >> 12), UInt8(0x80 | value >> 6 & 0x3F), UInt8(0x80 | value & 0x3F)]
        default:
            output += [
                UInt8(0xF0 | value >> 18), UInt8(0x80 | value >> 12 & 0x3F), UInt8(0x80 | value >> 6 & 0x3F),
                UInt8(0x80 | value & 0x3F),
            ]
        }
    }
}

