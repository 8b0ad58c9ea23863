/// Secrets learnt past ``SecretStore/automatonBudget``, kept in fixed memory: two Bloom filters of 1 MiB each,
/// allocated when the first one arrives.
///
/// Each spelling is kept as the hash of its first ``window`` bytes (all of it when shorter), and of each of
/// its starts of ``SecretMasker/shortestMaskedPrefix`` to ``window`` bytes for cuts. A text is read with a
/// rolling hash per window length in use, so a scan stays linear (at most ``window`` lookups a byte). A
/// Bloom filter never misses what it holds: a fingerprinted secret is always masked. It may report a
/// window that no secret starts with (rarely while it holds a few thousand), and the masked range runs
/// for the longest length of a secret with that window length: in this fallback masking errs on the side
/// of masking more, never less.
struct SecretFingerprints: Sendable {
    /// Bytes of a secret's start that are hashed.
    static let window = 16
    /// Bits of each filter (1 MiB).
    static let bits = 1 << 23
    private static let probes = 3
    static let base: UInt64 = 0x100_0000_01B3

    /// Whole windows (a secret's first `window` bytes, or all of a shorter one), keyed by their length.
    private var whole: [UInt64] = []
    /// Starts of secrets, for a text cut with "…" inside one.
    private var starts: [UInt64] = []
    /// The window lengths in use, as bits 1…`window`.
    private(set) var lengths: UInt32 = 0
    /// Per window length, the longest secret kept with it.
    private(set) var extents = [Int](repeating: 0, count: Self.window + 1)
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    mutating func insert(_ pattern: SecretPattern) {
        guard !pattern.bytes.isEmpty, !contains(pattern) else { return }
        if whole.isEmpty {
            whole = [UInt64](repeating: 0, count: Self.bits / 64)
            starts = [UInt64](repeating: 0, count: Self.bits / 64)
        }
        let length = min(pattern.bytes.count, Self.window)
        let head = pattern.bytes.prefix(length)
        Self.set(&whole, Self.key(Self.hash(head), length: length))
        lengths |= 1 << UInt32(length)
        extents[length] = max(extents[length], pattern.length)
        if pattern.bytes.count >= SecretMasker.minimumLength {
            for cut in SecretMasker.shortestMaskedPrefix...length {
                Self.set(&starts, Self.key(Self.hash(head.prefix(cut)), length: cut))
            }
        }
        count += 1
    }

    /// `true` when the pattern's window is in the filter (or one that hashes alike).
    func contains(_ pattern: SecretPattern) -> Bool {
        guard !whole.isEmpty, !pattern.bytes.isEmpty else { return false }
        let length = min(pattern.bytes.count, Self.window)
        return extents[length] >= pattern.length
            && Self.test(whole, Self.key(Self.hash(pattern.bytes.prefix(length)), length: length))
    }

    /// `true` when `window` bytes of this length and hash start a fingerprinted secret.
    func holdsWhole(_ hash: UInt64, length: Int) -> Bool { Self.test(whole, Self.key(hash, length: length)) }

    /// `true` when bytes of this length and hash are the start of a fingerprinted secret.
    func holdsStart(_ hash: UInt64, length: Int) -> Bool { Self.test(starts, Self.key(hash, length: length)) }

    static func hash(_ bytes: some Collection<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 &* base &+ UInt64($1) }
    }

    private static func key(_ hash: UInt64, length: Int) -> UInt64 {
        mix(hash ^ UInt64(length) &* 0x9E37_79B9_7F4A_7C15)
    }

    /// SplitMix64's finaliser.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static func positions(_ key: UInt64) -> [Int] {
        let step = mix(key) | 1
        return (0..<UInt64(probes)).map { Int((key &+ $0 &* step) & UInt64(bits - 1)) }
    }

    private static func set(_ filter: inout [UInt64], _ key: UInt64) {
        for position in positions(key) { filter[position >> 6] |= 1 << UInt64(position & 63) }
    }

    private static func test(_ filter: [UInt64], _ key: UInt64) -> Bool {
        guard !filter.isEmpty else { return false }
        let step = mix(key) | 1
        for probe in 0..<UInt64(probes) {
            let position = Int((key &+ probe &* step) & UInt64(bits - 1))
            if filter[position >> 6] & (1 << UInt64(position & 63)) == 0 { return false }
        }
        return true
    }
}

extension SecretMasker {
    /// One pass over a layer for the fingerprinted secrets: a rolling hash of the last `window` bytes gives
    /// the hash of every window length in use at each byte.
    func scanFingerprints(_ layer: Layer, into ranges: inout [Range<Int>], extended: inout [Range<Int>]) {
        let fingerprints = self.fingerprints
        guard !fingerprints.isEmpty else { return }
        let bytes = layer.bytes
        let window = SecretFingerprints.window
        // prefix[k % 32] is the hash of the first k bytes; powers[l] is base^l.
        var prefix = [UInt64](repeating: 0, count: 32)
        var powers = [UInt64](repeating: 1, count: window + 1)
        for length in 1...window { powers[length] = powers[length - 1] &* SecretFingerprints.base }
        func hash(endingAt end: Int, length: Int) -> UInt64 {
            prefix[end & 31] &- prefix[(end - length) & 31] &* powers[length]
        }
        for index in 0..<bytes.count {
            // `index` bytes read so far.
            if bytes[index] == 0xE2, index + 3 <= bytes.count, bytes[index + 1] == 0x80, bytes[index + 2] == 0xA6 {
                var cut = min(window, index)
                while cut >= SecretMasker.shortestMaskedPrefix {
                    if fingerprints.holdsStart(hash(endingAt: index, length: cut), length: cut) {
                        ranges.append(layer.start(index - cut)..<layer.start(index))
                        break
                    }
                    cut -= 1
                }
            }
            prefix[(index + 1) & 31] = prefix[index & 31] &* SecretFingerprints.base &+ UInt64(bytes[index])
            var lengths = fingerprints.lengths
            while lengths != 0 {
                let length = lengths.trailingZeroBitCount
                lengths &= lengths - 1
                guard length <= index + 1,
                    fingerprints.holdsWhole(hash(endingAt: index + 1, length: length), length: length)
                else { continue }
                let range = layer.start(index + 1 - length)..<layer.end(index)
                guard length >= Self.minimumLength || Self.standsAlone(layer.original, range) else { continue }
                let last = min(index + fingerprints.extents[length] - length, bytes.count - 1)
                if last > index { extended.append(range.lowerBound..<layer.end(last)) } else { ranges.append(range) }
            }
        }
    }
}
