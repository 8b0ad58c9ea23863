import ConformSupport

/// An ECMA-262 regular expression (Unicode mode, no flags) matched in time linear in the text.
///
/// A suite and a response are both untrusted, so conform never scans them with a backtracking engine:
/// `(a+)+$` against 30,000 `a`s and a `!` costs NSRegularExpression exponential time and this engine a few
/// steps per character. The pattern is compiled once into a Thompson NFA and run as a Pike VM, which keeps
/// one thread per NFA state and position: matching costs O(pattern × text) whatever the input. The pattern
/// side of that product can reach ``maximumStates``, so a search on a suite's or schema's pattern also has a
/// budget of ``maximumSteps``: past it, ``matches(in:deadline:)`` gives up with ``Stop/tooCostly``, "pattern too
/// costly for this value", which the check that used the pattern reports as its failure.
///
/// The syntax is ECMA-262's with the `u` flag, the dialect JSON Schema's `pattern` uses: literals and escapes
/// (`\n`, `\xHH`, `\uHHHH`, `\u{…}`, `\cX`), `.`, classes with ranges and negation, `\d \D \w \W \s \S`,
/// `\p{…}`/`\P{…}` for general categories and common binary properties, `^ $ \b \B`, capturing, named and
/// non-capturing groups, alternation, and greedy or lazy `* + ? {n} {n,} {n,m}`. Refused when compiled,
/// with the position in the pattern: backreferences and lookaround (they need backtracking), script
/// properties, and counted repetitions that would expand past ``maximumStatesPerRepetition`` or make the
/// whole program larger than ``maximumStates``.
///
///     let scope = try LinearRegex("^[a-z]+( [a-z]+)*$")
///     scope.firstMatch(in: "read write") != nil    // true: search, like JavaScript's RegExp.test
///     scope.wholeMatch("read write")               // true: the whole text, like Swift's wholeMatch
package struct LinearRegex: Sendable, CustomStringConvertible {
    /// A pattern that is not valid ECMA-262, or that conform's engine cannot run in linear time.
    package struct Error: Swift.Error, Sendable, Equatable, CustomStringConvertible {
        /// What is wrong, in words: "lookahead (?=…) is not supported: it needs backtracking".
        var message: String
        /// Where, in Unicode scalars from the start of the pattern (0-based).
        var offset: Int

        init(message: String, offset: Int) {
            self.message = message
            self.offset = offset
        }

        package var description: String { "\(message) (at character \(offset + 1) of the pattern)" }
    }

    /// The most NFA states one counted repetition such as `x{2,500}` may expand to.
    static let maximumStatesPerRepetition = 1_000
    /// The most NFA states a whole pattern may compile to.
    static let maximumStates = 10_000
    /// The most steps (NFA states visited, about code points × states alive at each) one search of a suite's
    /// or a schema's pattern may take: a 20-state pattern over a 1 MiB value takes a few million, a
    /// 10,000-state pattern that keeps all its states alive reaches it after about 1,000 code points. About
    /// 0.2 s of CPU in a release build.
    static let maximumSteps = 20_000_000

    /// Why a search has no answer.
    package enum Stop: Swift.Error, Sendable, Equatable, CustomStringConvertible {
        /// The search needed more than ``LinearRegex/maximumSteps`` steps.
        case tooCostly
        /// The work's deadline passed (the case's time budget, an interrupted run), for this reason.
        case stopped(String)

        /// The wording every check uses for a pattern it gave up on.
        static let tooCostlyMessage = "pattern too costly for this value"

        /// "pattern too costly for this value (more than 20000000 steps)", "not checked: --max-time 20 s ran out".
        package var description: String {
            switch self {
            case .tooCostly: "\(Self.tooCostlyMessage) (more than \(LinearRegex.maximumSteps) steps)"
            case .stopped(let reason): "not checked: \(reason)"
            }
        }
    }

    /// The pattern as written.
    package let pattern: String
    let program: RegexProgram

    package init(_ pattern: String) throws(LinearRegex.Error) {
        self.pattern = pattern
        let syntax = try RegexParser.parse(pattern)
        program = try RegexCompiler.compile(syntax)
    }

    /// Whether `pattern` is valid ECMA-262 syntax, including the parts this engine refuses to run
    /// (backreferences, lookaround): the `regex` format of JSON Schema.
    package static func isValidSyntax(_ pattern: String) -> Bool {
        (try? RegexParser.parse(pattern)) != nil
    }

    package var description: String { "/\(pattern)/" }

    /// The leftmost match, as a backtracking engine would choose it (greedy and lazy quantifiers honoured).
    /// Without a budget, like ``wholeMatch(_:)``.
    func firstMatch(in text: String) -> Range<String.Index>? {
        guard case .found(let range) = RegexMatcher(program: program).search(text, mode: .leftmostFirst).outcome
        else { return nil }
        return range
    }

    /// Whether the pattern matches anywhere in the text (cheaper than ``firstMatch(in:)``), within
    /// ``maximumSteps`` steps and before `deadline`.
    package func matches(in text: String, deadline: WorkDeadline = .never) throws(Stop) -> Bool {
        switch RegexMatcher(program: program).search(text, mode: .any, budget: Self.maximumSteps, deadline: deadline)
            .outcome
        {
        case .found: return true
        case .notFound: return false
        case .tooCostly: throw .tooCostly
        case .stopped(let reason): throw .stopped(reason)
        }
    }

    /// Whether the pattern matches the whole text. Without a budget: for conform's own patterns, whose few
    /// states keep the search a small multiple of the text's length.
    package func wholeMatch(_ text: String) -> Bool {
        guard case .found = RegexMatcher(program: program).search(text, mode: .whole).outcome else { return false }
        return true
    }

    /// The number of NFA states the pattern compiled to.
    var stateCount: Int { program.instructions.count }

    /// A search with the work it cost: one step per NFA state visited. Tests bound it to prove linearity.
    func measuredSearch(
        _ text: String, mode: RegexMatcher.Mode, budget: Int = .max
    ) -> (range: Range<String.Index>?, steps: Int) {
        let (outcome, steps) = RegexMatcher(program: program).search(text, mode: mode, budget: budget)
        guard case .found(let range) = outcome else { return (nil, steps) }
        return (range, steps)
    }
}
