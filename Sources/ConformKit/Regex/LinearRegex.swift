/// An ECMA-262 regular expression (Unicode mode, no flags) matched in time linear in the text.
///
/// A suite and a response are both untrusted, so conform never scans them with a backtracking engine:
/// `(a+)+$` against 30,000 `a`s and a `!` costs NSRegularExpression exponential time and this engine a few
/// steps per character. The pattern is compiled once into a Thompson NFA and run as a Pike VM, which keeps
/// one thread per NFA state and position: matching costs O(pattern × text) whatever the input.
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
public struct LinearRegex: Sendable, CustomStringConvertible {
    /// A pattern that is not valid ECMA-262, or that conform's engine cannot run in linear time.
    public struct Error: Swift.Error, Sendable, Equatable, CustomStringConvertible {
        /// What is wrong, in words: "lookahead (?=…) is not supported: it needs backtracking".
        public var message: String
        /// Where, in Unicode scalars from the start of the pattern (0-based).
        public var offset: Int

        public init(message: String, offset: Int) {
            self.message = message
            self.offset = offset
        }

        public var description: String { "\(message) (at character \(offset + 1) of the pattern)" }
    }

    /// The most NFA states one counted repetition such as `x{2,500}` may expand to.
    public static let maximumStatesPerRepetition = 1_000
    /// The most NFA states a whole pattern may compile to.
    public static let maximumStates = 10_000

    /// The pattern as written.
    public let pattern: String
    let program: RegexProgram

    public init(_ pattern: String) throws(LinearRegex.Error) {
        self.pattern = pattern
        let syntax = try RegexParser.parse(pattern)
        program = try RegexCompiler.compile(syntax)
    }

    /// Whether `pattern` is valid ECMA-262 syntax, including the parts this engine refuses to run
    /// (backreferences, lookaround): the `regex` format of JSON Schema.
    public static func isValidSyntax(_ pattern: String) -> Bool {
        (try? RegexParser.parse(pattern)) != nil
    }

    public var description: String { "/\(pattern)/" }

    /// The leftmost match, as a backtracking engine would choose it (greedy and lazy quantifiers honoured).
    public func firstMatch(in text: String) -> Range<String.Index>? {
        RegexMatcher(program: program).search(text, mode: .leftmostFirst).range
    }

    /// Whether the pattern matches anywhere in the text (cheaper than ``firstMatch(in:)``).
    public func matches(in text: String) -> Bool {
        RegexMatcher(program: program).search(text, mode: .any).range != nil
    }

    /// Whether the pattern matches the whole text.
    public func wholeMatch(_ text: String) -> Bool {
        RegexMatcher(program: program).search(text, mode: .whole).range != nil
    }

    /// The number of NFA states the pattern compiled to.
    var stateCount: Int { program.instructions.count }

    /// A search with the work it cost: one step per NFA state visited. Tests bound it to prove linearity.
    func measuredSearch(_ text: String, mode: RegexMatcher.Mode) -> (range: Range<String.Index>?, steps: Int) {
        RegexMatcher(program: program).search(text, mode: mode)
    }
}
