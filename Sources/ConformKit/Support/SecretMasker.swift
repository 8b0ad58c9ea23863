import ConformSupport
import ConformXML

/// Replaces every known secret in a text with `***`, in time linear in the length of the text.
///
/// The secrets are compiled into Aho–Corasick automata over their UTF-8 bytes (a few, of doubling sizes, so
/// that a secret learnt during a run is added without compiling the others again: ``SecretStore``), and a
/// text is scanned as it is, byte by byte, then, while it holds a `\`, `&` or `%`, decoded once more and
/// scanned again, up to ``maximumLayers`` times: JSON escapes (`\u002B`, `\/`, surrogate pairs), conform's own
/// escapes of control characters (`\u{1B}`), XML character and entity references (`&#67;`, `&#x43;`, `&amp;`)
/// and percent-encoding (`%2B`) are read as the characters they stand for. A secret is found however an
/// endpoint spelt it, and also when conform's own outputs add their layer on top (a JSON-escaped echo quoted
/// in a message, then written into a JSON or XML report). Each decoded byte remembers where it came from, so
/// what is masked is the encoded text.
///
/// Each secret is known in every spelling conform can meet (``spellings(of:)``): as it is, its Unicode
/// normalisation forms (NFC and NFD), the form-body spelling of its spaces and the one XML reports give its
/// control characters; and each layer of a text is also read in NFD (``NormalisedLayer``), where every
/// canonically equivalent spelling meets the secret's NFD form. Of each spelling at most ``keptLength`` bytes are kept: a longer secret is found by
/// its start, and as many bytes as the whole secret has are masked from there.
///
/// Two rules keep masking from garbling text:
/// - a secret shorter than ``minimumLength`` bytes is masked only where it stands as a whole value: after
///   a quote, `>` or `=`, and before a quote, `<`, `&`, `;`, `,`, whitespace or the end;
/// - a text cut with "…" that ends in the first four characters or more of a secret has them masked
///   (the automaton's state says how long the longest such start is, so this costs nothing extra), also
///   when the cut fell inside an escape (`%5…`).
struct SecretMasker: Sendable {
    /// Secrets shorter than this are masked only as whole values.
    static let minimumLength = 6
    /// The shortest start of a secret before a "…" that is masked.
    static let shortestMaskedPrefix = 4
    /// Layers of encoding read through: an endpoint's, a message's quoting, a report's syntax.
    static let maximumLayers = 3
    /// Bytes kept of each spelling of a secret: a longer one is found by its first `keptLength` bytes.
    static let keptLength = 128

    private let automata: [Automaton]
    /// Secrets past the store's budget (``SecretFingerprints``).
    let fingerprints: SecretFingerprints

    init(secrets: some Sequence<String>) {
        let patterns = secrets.flatMap(Self.patterns(of:))
        automata = patterns.isEmpty ? [] : [Automaton(patterns: patterns)]
        fingerprints = SecretFingerprints()
    }

    /// A masker over automata already built (``SecretStore``'s generations) and fingerprints.
    init(automata: [Automaton], fingerprints: SecretFingerprints = SecretFingerprints()) {
        self.automata = automata.filter { !$0.isEmpty }
        self.fingerprints = fingerprints
    }

    /// The patterns the masker keeps for a secret: each of its spellings, cut to ``keptLength`` bytes.
    static func patterns(of secret: String) -> [SecretPattern] {
        var seen: Set<[UInt8]> = []
        return spellings(of: secret).compactMap { seen.insert($0).inserted ? SecretPattern($0) : nil }
    }

    /// Every spelling of a secret that conform may print, as UTF-8 bytes: the secret, its NFC and NFD forms
    /// (an endpoint may echo a canonically equivalent spelling), its form-body spelling, and the spelling of
    /// XML reports, which cannot hold most control characters and show U+FFFD instead. Spellings that
    /// conform makes by escaping (`\u{1B}`, `\u001B`, `&#x7F;`, `%1B`) are read back by the scan's layers.
    static func spellings(of secret: String) -> [[UInt8]] {
        guard !secret.isEmpty else { return [] }
        var patterns: [[UInt8]] = [Array(secret.utf8)]
        if !secret.utf8.allSatisfy({ $0 < 0x80 }) {
            patterns.append(Array(secret.precomposedStringWithCanonicalMapping.utf8))
            patterns.append(Array(secret.decomposedStringWithCanonicalMapping.utf8))
        }
        let xmlSafe = XMLWriter.xmlSafe(secret)
        if !xmlSafe.utf8.elementsEqual(secret.utf8) { patterns.append(Array(xmlSafe.utf8)) }
        // A form body writes a space as `+` (percent escapes are read as any other encoding).
        if secret.contains(" ") { patterns.append(Array(secret.replacingOccurrences(of: " ", with: "+").utf8)) }
        return patterns
    }

    var isEmpty: Bool { automata.isEmpty && fingerprints.isEmpty }

    /// The text with every secret replaced by `***`; the same string when there is none.
    func mask(_ text: String) -> String {
        guard !isEmpty, !text.isEmpty else { return text }
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
        guard !isEmpty, !regions.isEmpty else { return text }
        var text = text
        return text.withUTF8 { bytes in
            var ranges: [Range<Int>] = []
            for region in regions {
                let slice = UnsafeBufferPointer(rebasing: bytes[region])
                ranges += maskedRanges(in: slice).map {
                    ($0.lowerBound + region.lowerBound)..<($0.upperBound + region.lowerBound)
                }
            }
            guard !ranges.isEmpty else { return String(decoding: bytes, as: UTF8.self) }
            return String(decoding: Self.replacing(ranges, in: bytes), as: UTF8.self)
        }
    }

    /// The byte ranges to mask, sorted and merged.
    func maskedRanges(in bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var extended: [Range<Int>] = []
        scan(Layer(bytes: bytes), into: &ranges, extended: &extended)
        // Each layer is read in NFD too, where it is not already: canonically equivalent spellings meet there.
        if let normalised = NormalisedLayer(bytes, start: { Int32($0) }, end: { Int32($0 + 1) }) {
            scan(normalised, of: bytes, into: &ranges, extended: &extended)
        }
        var layer: DecodedLayer?
        for _ in 0..<Self.maximumLayers {
            let next = layer.map { DecodedLayer(decoding: $0) } ?? DecodedLayer(decoding: bytes)
            guard let next else { break }
            next.bytes.withUnsafeBufferPointer { decoded in
                scan(
                    Layer(bytes: decoded, starts: next.starts, ends: next.ends, source: bytes), into: &ranges,
                    extended: &extended)
                if let normalised = NormalisedLayer(decoded, start: { next.starts[$0] }, end: { next.ends[$0] }) {
                    scan(normalised, of: bytes, into: &ranges, extended: &extended)
                }
            }
            layer = next
        }
        if !extended.isEmpty { ranges += Self.clipped(extended, atCutsIn: bytes) }
        return Self.merged(ranges)
    }

    private func scan(
        _ normalised: NormalisedLayer, of source: UnsafeBufferPointer<UInt8>, into ranges: inout [Range<Int>],
        extended: inout [Range<Int>]
    ) {
        normalised.bytes.withUnsafeBufferPointer { bytes in
            scan(
                Layer(bytes: bytes, starts: normalised.starts, ends: normalised.ends, source: source), into: &ranges,
                extended: &extended)
        }
    }

    /// Ranges that run for a long secret's length stop at the end of an excerpt ("… (2048 bytes in all)" or a
    /// "…" that ends the text): what follows is conform's own text, not the secret.
    private static func clipped(_ ranges: [Range<Int>], atCutsIn bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var cuts: [Int] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == ellipsis[0], isEllipsis(bytes, at: index) {
                let after = index + 3
                if after == bytes.count
                    || (after + 1 < bytes.count && bytes[after] == UInt8(ascii: " ")
                        && bytes[after + 1] == UInt8(ascii: "("))
                {
                    cuts.append(index)
                }
                index += 3
            } else {
                index += 1
            }
        }
        guard !cuts.isEmpty else { return ranges }
        return ranges.map { range in
            // The first cut after the range's start, by binary search.
            var low = 0
            var high = cuts.count
            while low < high {
                let middle = (low + high) / 2
                if cuts[middle] <= range.lowerBound { low = middle + 1 } else { high = middle }
            }
            guard low < cuts.count else { return range }
            return range.lowerBound..<min(range.upperBound, cuts[low])
        }
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
    struct Layer {
        var bytes: UnsafeBufferPointer<UInt8>
        var starts: [Int32]? = nil
        var ends: [Int32]? = nil
        /// The original text, where ranges are masked and whole values are judged.
        var source: UnsafeBufferPointer<UInt8>? = nil

        func start(_ index: Int) -> Int { starts.map { Int($0[index]) } ?? index }
        func end(_ index: Int) -> Int { ends.map { Int($0[index]) } ?? index + 1 }
        var original: UnsafeBufferPointer<UInt8> { source ?? bytes }
    }

    /// One pass of each automaton over a layer; ranges that run past the match, for a long secret, go to
    /// `extended`.
    private func scan(_ layer: Layer, into ranges: inout [Range<Int>], extended: inout [Range<Int>]) {
        for automaton in automata { scan(layer, with: automaton, into: &ranges, extended: &extended) }
        scanFingerprints(layer, into: &ranges, extended: &extended)
    }

    private func scan(
        _ layer: Layer, with automaton: Automaton, into ranges: inout [Range<Int>], extended: inout [Range<Int>]
    ) {
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
                    let extent = automaton.extent(terminal)
                    if extent > length {
                        // A secret kept by its start covers as many bytes as it has, to the end of the text at most.
                        let last = min(index + extent - length, bytes.count - 1)
                        extended.append(range.lowerBound..<layer.end(last))
                    } else {
                        ranges.append(range)
                    }
                    break
                }
                terminal = automaton.nextMatch(terminal)
            }
        }
    }

    static func isEllipsis(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        index + 3 <= bytes.count && bytes[index + 1] == ellipsis[1] && bytes[index + 2] == ellipsis[2]
    }

    /// A short secret is masked only as a whole value: `"abc"`, `>abc<`, `=abc&`.
    static func standsAlone(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
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
