/// A pattern compiled into a Thompson NFA: one instruction per state, run by ``RegexMatcher``.
struct RegexProgram: Sendable {
    enum Instruction: Sendable {
        /// Consume this code point, then continue at `next`.
        case literal(UInt32, next: Int)
        /// Consume a code point of `sets[index]`, then continue at `next`.
        case set(Int, next: Int)
        /// Continue at both targets; the first has priority (greedy or lazy choice).
        case split(Int, Int)
        case jump(Int)
        /// Continue at the next instruction when the assertion holds here.
        case assert(RegexAssertion)
        case match
        /// The thread ends: the end of a repetition's copy that consumed nothing (see `emitNonEmpty`).
        case fail
    }

    var instructions: [Instruction]
    var sets: [ScalarSet]
}

/// Turns a ``ParsedPattern`` into a ``RegexProgram``, refusing what cannot run in linear time or space.
///
/// Counted repetitions are expanded (`x{2,4}` is `xx(x(x)?)?`), so their size is checked before anything
/// is emitted: no single repetition may need more than ``LinearRegex/maximumStatesPerRepetition`` states and
/// the program no more than ``LinearRegex/maximumStates``.
///
/// ECMA-262 fails an optional iteration that matches the empty string: `(a?)?` never takes the empty `a?`
/// before trying to skip, and `(a|b?)*` never loops without progress. Every optional copy (`?`, the copies of
/// `{n,m}` past `n`) and every loop (`*`, and the loops of `+` and `{n,}`) whose body can match empty is
/// compiled twice so that its empty paths die (`emitNonEmpty`). The NFA then has no cycle that consumes
/// nothing, and the Pike VM's rule of one thread per state and position keeps exactly the path a
/// backtracking engine would take.
struct RegexCompiler {
    private var instructions: [RegexProgram.Instruction] = []
    private var sets: [ScalarSet] = []

    static func compile(_ parsed: ParsedPattern) throws(LinearRegex.Error) -> RegexProgram {
        if let first = parsed.unsupported.first { throw first }
        let size = try stateCount(parsed.syntax)
        guard size < LinearRegex.maximumStates else {
            throw LinearRegex.Error(
                message: "the pattern needs \(size) NFA states, more than the \(LinearRegex.maximumStates) allowed",
                offset: 0)
        }
        var compiler = RegexCompiler()
        compiler.emit(parsed.syntax)
        compiler.instructions.append(.match)
        return RegexProgram(instructions: compiler.instructions, sets: compiler.sets)
    }

    /// The number of instructions `emit` writes for a tree, saturating; throws for an oversized repetition.
    private static func stateCount(_ syntax: RegexSyntax) throws(LinearRegex.Error) -> Int {
        switch syntax {
        case .empty:
            return 0
        case .literal, .set, .assertion:
            return 1
        case .concatenation(let items):
            var total = 0
            for item in items { total = saturatingAdd(total, try stateCount(item)) }
            return total
        case .alternation(let items):
            var total = 0
            for item in items { total = saturatingAdd(total, saturatingAdd(try stateCount(item), 2)) }
            return total
        case .repetition(let body, let minimum, let maximum, _, let offset):
            let bodySize = try stateCount(body)
            let size = repetitionSize(body: bodySize, min: minimum, max: maximum, nullable: isNullable(body))
            let isCounted = minimum > 1 || (maximum ?? 0) > 1
            if isCounted, size > LinearRegex.maximumStatesPerRepetition {
                let bounds = maximum.map { $0 == minimum ? "{\(minimum)}" : "{\(minimum),\($0)}" } ?? "{\(minimum),}"
                throw LinearRegex.Error(
                    message: "the repetition \(bounds) expands to \(size == Int.max ? "too many" : String(size)) NFA "
                        + "states, more than the \(LinearRegex.maximumStatesPerRepetition) allowed for one repetition",
                    offset: offset)
            }
            return size
        }
    }

    private static func repetitionSize(body: Int, min minimum: Int, max maximum: Int?, nullable: Bool) -> Int {
        let required = saturatingMultiply(body, minimum)
        let copy = nullable ? saturatingAdd(saturatingMultiply(body, 2), 1) : body
        guard let maximum else { return saturatingAdd(required, saturatingAdd(copy, 2)) }
        return saturatingAdd(required, saturatingMultiply(saturatingAdd(copy, 1), maximum - minimum))
    }

    /// Whether the tree can match the empty string.
    static func isNullable(_ syntax: RegexSyntax) -> Bool {
        switch syntax {
        case .empty, .assertion: true
        case .literal, .set: false
        case .concatenation(let items): items.allSatisfy(isNullable)
        case .alternation(let items): items.contains(where: isNullable)
        case .repetition(let body, let minimum, _, _, _): minimum == 0 || isNullable(body)
        }
    }

    private static func saturatingAdd(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int.max : sum
    }

    private static func saturatingMultiply(_ a: Int, _ b: Int) -> Int {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? Int.max : product
    }

    // MARK: - Emitting

    private var next: Int { instructions.count }

    private mutating func emit(_ syntax: RegexSyntax) {
        switch syntax {
        case .empty:
            break
        case .literal(let value):
            instructions.append(.literal(value, next: next + 1))
        case .set(let set):
            if let value = set.singleValue {
                instructions.append(.literal(value, next: next + 1))
            } else {
                sets.append(set)
                instructions.append(.set(sets.count - 1, next: next + 1))
            }
        case .assertion(let assertion):
            instructions.append(.assert(assertion))
        case .concatenation(let items):
            for item in items { emit(item) }
        case .alternation(let items):
            emitAlternation(items)
        case .repetition(let body, let minimum, let maximum, let greedy, _):
            for _ in 0..<minimum { emit(body) }
            if let maximum {
                emitOptionalChain(body, count: maximum - minimum, greedy: greedy)
            } else {
                emitStar(body, greedy: greedy)
            }
        }
    }

    /// `a|b|c`: split a, next; a; jump end; split b, next; b; jump end; c.
    private mutating func emitAlternation(_ items: [RegexSyntax]) {
        var jumps: [Int] = []
        for item in items.dropLast() {
            let split = next
            instructions.append(.split(split + 1, 0))
            emit(item)
            jumps.append(next)
            instructions.append(.jump(0))
            instructions[split] = .split(split + 1, next)
        }
        if let last = items.last { emit(last) }
        for jump in jumps { instructions[jump] = .jump(next) }
    }

    /// `x*`: L: split body, end; body; jump L.
    private mutating func emitStar(_ body: RegexSyntax, greedy: Bool) {
        let split = next
        instructions.append(.split(0, 0))
        if Self.isNullable(body) {
            emitNonEmpty(body)
        } else {
            emit(body)
        }
        instructions.append(.jump(split))
        instructions[split] = greedy ? .split(split + 1, next) : .split(next, split + 1)
    }

    /// `x{0,count}` nested as `(x(x(x)?)?)?`: once an optional copy is skipped, the later ones are too.
    private mutating func emitOptionalChain(_ body: RegexSyntax, count: Int, greedy: Bool) {
        var splits: [Int] = []
        let nullable = Self.isNullable(body)
        for _ in 0..<count {
            splits.append(next)
            instructions.append(.split(0, 0))
            if nullable {
                emitNonEmpty(body)
            } else {
                emit(body)
            }
        }
        let end = next
        for split in splits {
            instructions[split] = greedy ? .split(split + 1, end) : .split(end, split + 1)
        }
    }

    /// The paths of `body` that consume at least one code point, in their priority order: a copy E for
    /// "nothing consumed yet", whose consuming steps continue in a copy C for "something consumed", and
    /// whose end fails; C's end is the way out.
    ///
    ///     E: body (each consuming step jumps into C)   fail   C: body   → next
    private mutating func emitNonEmpty(_ body: RegexSyntax) {
        let empty = next
        emit(body)
        let length = next - empty
        instructions.append(.fail)
        let consumed = next
        emit(body)
        for pc in empty..<(empty + length) {
            switch instructions[pc] {
            case .literal(let value, let target):
                instructions[pc] = .literal(value, next: target - empty + consumed)
            case .set(let set, let target):
                instructions[pc] = .set(set, next: target - empty + consumed)
            default:
                break
            }
        }
    }
}
