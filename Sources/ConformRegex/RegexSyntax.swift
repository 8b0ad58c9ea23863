/// A parsed pattern: the tree ``RegexParser`` builds and ``RegexCompiler`` turns into an NFA.
indirect enum RegexSyntax: Sendable {
    /// Matches the empty string.
    case empty
    /// One code point (a value, since `\uD800` may name a lone surrogate that no Swift string holds).
    case literal(UInt32)
    /// One code point out of a set: a class, `.`, `\d`, `\p{L}`…
    case set(ScalarSet)
    case assertion(RegexAssertion)
    case concatenation([RegexSyntax])
    case alternation([RegexSyntax])
    /// `min` to `max` (nil: unbounded) times; `offset` is where the quantifier starts in the pattern.
    case repetition(RegexSyntax, min: Int, max: Int?, greedy: Bool, offset: Int)
}

/// A zero-width test between two code points.
enum RegexAssertion: Sendable {
    /// `^` (without the `m` flag, which JSON Schema patterns never have: the start of the text).
    case start
    /// `$`: the end of the text.
    case end
    /// `\b`: a word character (`\w`) on exactly one side.
    case wordBoundary
    /// `\B`.
    case notWordBoundary
}

/// The result of parsing: the tree, and the valid ECMA-262 constructs this engine cannot run.
struct ParsedPattern: Sendable {
    var syntax: RegexSyntax
    /// Backreferences, lookaround, script properties…, in pattern order; each became `.empty` in `syntax`.
    var unsupported: [LinearRegex.Error]
}
