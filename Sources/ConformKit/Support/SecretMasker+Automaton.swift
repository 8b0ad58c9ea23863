/// One spelling of a secret as the masker keeps it: at most ``SecretMasker/keptLength`` bytes, and the length
/// of the whole spelling. A longer secret is found by its first bytes; from there, as many bytes as the whole
/// secret has are masked (to the end of the text at most), so that what a match covers is the secret itself.
struct SecretPattern: Sendable, Hashable {
    /// The first bytes of the spelling, ``SecretMasker/keptLength`` at most.
    var bytes: [UInt8]
    /// The length of the whole spelling, in bytes.
    var length: Int

    init(_ spelling: [UInt8]) {
        bytes = Array(spelling.prefix(SecretMasker.keptLength))
        length = spelling.count
    }
}

extension SecretMasker {
    /// An Aho–Corasick automaton over bytes: a trie of the patterns with failure links, so that a text is
    /// read once, each byte in amortised constant time, whatever the patterns.
    ///
    /// Built in time and memory linear in the patterns' bytes (about 33 bytes of memory per trie state once
    /// built): the trie is made with first-child and next-sibling links, not a table per state.
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
        /// For a state that ends a pattern, the length of the longest whole secret it stands for.
        private var extents: [Int32] = []
        private(set) var isEmpty = true
        /// The bytes of the patterns this automaton was built from.
        private(set) var patternBytes = 0

        init(patterns: [SecretPattern]) {
            guard !patterns.isEmpty else { return }
            isEmpty = false
            var firstChild: [Int32] = [Self.none]
            var sibling: [Int32] = [Self.none]
            var label: [UInt8] = [0]
            var extent: [Int32] = [0]
            var depth: [Int32] = [0]
            var onLongPattern: [Bool] = [false]
            func child(_ state: Int, _ byte: UInt8) -> Int32? {
                var candidate = firstChild[state]
                while candidate != Self.none {
                    if label[Int(candidate)] == byte { return candidate }
                    candidate = sibling[Int(candidate)]
                }
                return nil
            }
            for pattern in patterns where !pattern.bytes.isEmpty {
                patternBytes += pattern.bytes.count
                let long = pattern.bytes.count >= SecretMasker.minimumLength
                var state = 0
                for byte in pattern.bytes {
                    if let found = child(state, byte) {
                        state = Int(found)
                    } else {
                        let created = Int32(label.count)
                        label.append(byte)
                        sibling.append(firstChild[state])
                        firstChild[state] = created
                        firstChild.append(Self.none)
                        extent.append(0)
                        depth.append(depth[state] + 1)
                        onLongPattern.append(false)
                        state = Int(created)
                    }
                    if long { onLongPattern[state] = true }
                }
                extent[state] = max(extent[state], Int32(clamping: pattern.length))
            }
            let count = label.count
            depths = depth
            extents = extent
            edgeStart.reserveCapacity(count + 1)
            edgeBytes.reserveCapacity(count)
            edgeTargets.reserveCapacity(count)
            var children: [(UInt8, Int32)] = []
            for state in 0..<count {
                edgeStart.append(Int32(edgeBytes.count))
                children.removeAll(keepingCapacity: true)
                var candidate = firstChild[state]
                while candidate != Self.none {
                    children.append((label[Int(candidate)], candidate))
                    candidate = sibling[Int(candidate)]
                }
                for (byte, target) in children.sorted(by: { $0.0 < $1.0 }) {
                    edgeBytes.append(byte)
                    edgeTargets.append(target)
                }
            }
            edgeStart.append(Int32(edgeBytes.count))
            firstChild = []
            sibling = []
            for index in Int(edgeStart[0])..<Int(edgeStart[1]) { rootNext[Int(edgeBytes[index])] = edgeTargets[index] }
            fail = [Int32](repeating: 0, count: count)
            longest = [Int32](repeating: Self.none, count: count)
            next = [Int32](repeating: Self.none, count: count)
            longPrefix = [Int32](repeating: Self.root, count: count)
            // Breadth first: a state's failure link is shallower, so it is complete when the state is reached.
            var queue: [Int32] = Array(edgeTargets[Int(edgeStart[0])..<Int(edgeStart[1])])
            queue.reserveCapacity(count)
            var head = 0
            while head < queue.count {
                let state = Int(queue[head])
                head += 1
                let link = Int(fail[state])
                let terminal = extents[state] > 0
                longest[state] = terminal ? Int32(state) : longest[link]
                next[state] = terminal ? longest[link] : Self.none
                longPrefix[state] = onLongPattern[state] ? Int32(state) : longPrefix[link]
                for index in Int(edgeStart[state])..<Int(edgeStart[state + 1]) {
                    let child = edgeTargets[index]
                    // The root's children fail to the root; the others to the longest proper suffix's state.
                    fail[Int(child)] = state == 0 ? Self.root : step(Int32(link), edgeBytes[index])
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
        /// The length of the longest whole secret that the pattern ending in this state stands for.
        func extent(_ terminal: Int32) -> Int { Int(extents[Int(terminal)]) }

        /// How many of the last bytes read are the start of a long pattern.
        func prefixLength(endingIn state: Int32) -> Int { Int(depths[Int(longPrefix[Int(state)])]) }
    }
}
