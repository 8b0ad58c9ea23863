import ConformSupport

/// Runs a ``RegexProgram`` over a text as a Pike VM: all NFA threads advance together, one code point at a
/// time, and a state holds at most one thread per position.
///
/// Threads are kept in priority order (the order a backtracking engine would try them), so the leftmost
/// match and its extent are the ones JavaScript would report, greedy and lazy quantifiers included. Each
/// position visits each instruction at most twice (once to reach it, once to step it), so a search costs at
/// most `2 × instructions × (code points + 1)` steps whatever the pattern and the text. That is linear, but
/// with a constant of up to 20,000: a search also stops once it has taken `budget` steps (the answer is
/// then "too costly") or when its ``WorkDeadline`` passes, asked between positions.
struct RegexMatcher {
    enum Mode {
        /// Stop at the first match found, whatever its extent.
        case any
        /// The leftmost match, extended as a backtracking engine would.
        case leftmostFirst
        /// A match from the start to the end of the text.
        case whole
    }

    /// How a search ended.
    enum Outcome: Equatable {
        case found(Range<String.Index>)
        case notFound
        /// More than the budget's steps were needed.
        case tooCostly
        /// The deadline passed, for this reason.
        case stopped(String)
    }

    let program: RegexProgram

    /// The threads of one position, in priority order, with a stamp per instruction so that each is added
    /// once.
    private struct ThreadList {
        var pcs: [Int] = []
        var starts: [String.Index] = []
        var stamps: [Int]
        var generation = 1

        init(size: Int) {
            stamps = Array(repeating: 0, count: size)
        }

        mutating func clear() {
            pcs.removeAll(keepingCapacity: true)
            starts.removeAll(keepingCapacity: true)
            generation += 1
        }
    }

    /// The code points on either side of a position, for assertions.
    private struct Boundary {
        var before: UInt32?
        var after: UInt32?
    }

    func search(
        _ text: String, mode: Mode, budget: Int = .max, deadline: WorkDeadline = .never
    ) -> (outcome: Outcome, steps: Int) {
        let scalars = text.unicodeScalars
        let size = program.instructions.count
        var current = ThreadList(size: size)
        var upcoming = ThreadList(size: size)
        var stack: [Int] = []
        var steps = 0
        var found: Range<String.Index>?
        var position = scalars.startIndex
        var boundary = Boundary(before: nil, after: scalars.first?.value)
        var check = DeadlineCheck(deadline, every: 1 << 16)
        var checkedSteps = 0

        while true {
            if steps > budget { return (.tooCostly, steps) }
            if let reason = check.stopReason(after: steps - checkedSteps) { return (.stopped(reason), steps) }
            checkedSteps = steps
            let seeds = found == nil && (mode != .whole || position == scalars.startIndex)
            if seeds {
                add(0, start: position, to: &current, at: boundary, stack: &stack, steps: &steps)
            }
            // With no thread alive and none to start later, the answer is known.
            if current.pcs.isEmpty, !seeds || mode == .whole { break }
            let nextPosition = position < scalars.endIndex ? scalars.index(after: position) : position
            let nextBoundary = Boundary(
                before: boundary.after, after: nextPosition < scalars.endIndex ? scalars[nextPosition].value : nil)
            threads: for index in current.pcs.indices {
                let pc = current.pcs[index]
                let start = current.starts[index]
                steps += 1
                switch program.instructions[pc] {
                case .match:
                    switch mode {
                    case .any:
                        return (.found(start..<position), steps)
                    case .whole:
                        if boundary.after == nil { return (.found(start..<position), steps) }
                    case .leftmostFirst:
                        found = start..<position
                        break threads  // lower-priority threads lose to this match
                    }
                case .literal(let value, let target):
                    if boundary.after == value {
                        add(target, start: start, to: &upcoming, at: nextBoundary, stack: &stack, steps: &steps)
                    }
                case .set(let set, let target):
                    if let value = boundary.after, program.sets[set].contains(value) {
                        add(target, start: start, to: &upcoming, at: nextBoundary, stack: &stack, steps: &steps)
                    }
                case .split, .jump, .assert, .fail:
                    break  // never in a list: `add` follows or drops them
                }
            }
            guard boundary.after != nil else { break }
            position = nextPosition
            boundary = nextBoundary
            swap(&current, &upcoming)
            upcoming.clear()
        }
        return (found.map { .found($0) } ?? .notFound, steps)
    }

    /// Adds the thread at `pc` and everything it reaches without consuming, depth first so that priority
    /// order is kept; an explicit stack, because a program may hold thousands of splits in a row.
    private func add(
        _ pc: Int, start: String.Index, to list: inout ThreadList, at boundary: Boundary, stack: inout [Int],
        steps: inout Int
    ) {
        stack.append(pc)
        while let pc = stack.popLast() {
            guard list.stamps[pc] != list.generation else { continue }
            list.stamps[pc] = list.generation
            steps += 1
            switch program.instructions[pc] {
            case .jump(let target):
                stack.append(target)
            case .split(let preferred, let other):
                stack.append(other)
                stack.append(preferred)
            case .assert(let assertion):
                if holds(assertion, at: boundary) { stack.append(pc + 1) }
            case .fail:
                break
            case .literal, .set, .match:
                list.pcs.append(pc)
                list.starts.append(start)
            }
        }
    }

    private func holds(_ assertion: RegexAssertion, at boundary: Boundary) -> Bool {
        switch assertion {
        case .start: boundary.before == nil
        case .end: boundary.after == nil
        case .wordBoundary: ScalarSet.isWord(boundary.before) != ScalarSet.isWord(boundary.after)
        case .notWordBoundary: ScalarSet.isWord(boundary.before) == ScalarSet.isWord(boundary.after)
        }
    }
}
