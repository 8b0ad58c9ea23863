import Foundation
import Testing

@testable import ConformJSONSchema
@testable import ConformKit
@testable import ConformRegex
@testable import ConformSupport

/// A suite's or a schema's pattern over a response's value: every check that uses one gives up on a value
/// that would cost the regex engine more than its step budget, and stops when the case's deadline passes,
/// with a failure that says so, instead of running for minutes.
@Suite struct CostlyPatternTests {
    /// 9,800 NFA states that all stay alive on a run of letters: about 20,000 steps a character, so the
    /// budget of 20 million steps runs out after about 1,000 characters (a 1 MB value would take minutes).
    static let costly = String(repeating: "(?:[a-z]?){490}", count: 10) + "!"
    /// A value the costly pattern cannot judge within its budget.
    static let long = String(repeating: "a", count: 2_000)
    static let tooCostly = "pattern too costly for this value (more than 20000000 steps)"

    // A field rule, a header rule and a schema's `pattern` over a 1 MB field: BoundedWorkTests, end to end.

    /// A `patternProperties` key the pattern cannot judge is neither matched nor not: said so, and judged by
    /// no other subschema (`additionalProperties: false` would otherwise call it not allowed).
    @Test func aPatternPropertiesKeyItCannotJudgeIsAViolation() throws {
        let schema = try SchemaFixture.schema(
            #"{"patternProperties": {"\#(Self.costly)": false}, "additionalProperties": false}"#)
        let pattern = SchemaText.pattern(Self.costly)
        #expect(
            try SchemaFixture.messages(schema, #"{"\#(Self.long)": 1}"#) == [
                "(root): property \(SchemaText.name(Self.long)): cannot check it against \(pattern): \(Self.tooCostly)"
            ])
    }

    /// Checks that may take long ask the case's deadline: once it has passed they stop and say why.
    @Test func checksStopWhenTheDeadlinePasses() throws {
        var subject = response(headers: [("X-Trace", "abc")], body: #"{"t": "abc"}"#)
        subject.deadline = WorkDeadline(at: .now, because: "the case's time budget ran out")
        let field = FieldRuleCheck(path: FieldPath("t")!, rule: .matches(try LinearRegex("^a")))
        #expect(
            messages(field, subject) == [
                "failure: t: expected a string matching /^a/, got a string of 3 characters: not checked: the case's time budget ran out"
            ])
        let header = HeaderCheck(name: "X-Trace", rule: .matches(try LinearRegex("^a")))
        #expect(
            messages(header, subject) == [
                "failure: X-Trace: expected a value matching /^a/, got a value of 3 characters: not checked: the case's time budget ran out"
            ])
        let schema = try SchemaFixture.schema(#"{"properties": {"t": {"pattern": "^b"}}}"#)
        #expect(
            schema.validate(try SchemaFixture.instance(#"{"t": "abc"}"#), deadline: subject.deadline).map(\.description)
                == ["(root): validation stopped before the end: the case's time budget ran out"])
    }
}
