import Foundation
import Testing

@testable import ConformJSON
@testable import ConformJSONSchema
@testable import ConformKit

/// A suite and a response are both untrusted: no schema and no value may make validation overflow the stack,
/// loop forever or take more than (schemas × values) evaluations.
@Suite struct JSONSchemaLimitsTests {
    /// Runs `body` on a thread with a small stack, as a macOS secondary thread has (512 KiB); a debug build's
    /// frames are about twice a release build's, so debug-built tests get twice the stack. `keeping` stays
    /// alive on the calling thread: the last release of a deeply nested value (a recursive `deinit`) must
    /// not happen on the small stack, which would test Swift's enums rather than conform.
    private func onSmallStack<T: Sendable, Kept>(keeping kept: Kept, _ body: @escaping @Sendable () -> T) -> T {
        let done = DispatchSemaphore(value: 0)
        let result = ResultBox<T>()
        let thread = Thread {
            result.value = body()
            done.signal()
        }
        #if DEBUG
            thread.stackSize = 1 << 20
        #else
            thread.stackSize = 1 << 19
        #endif
        return withExtendedLifetime(kept) {
            thread.start()
            done.wait()
            return result.value!
        }
    }

    private final class ResultBox<T>: @unchecked Sendable {
        var value: T?  // written by the thread before it signals, read after
    }

    @Test func aLongChainOfReferencesStopsAtTheDepthLimit() throws {
        var definitions = (0..<1_000).map { "\"d\($0)\": {\"$ref\": \"#/$defs/d\($0 + 1)\"}" }
        definitions.append(#""d1000": {"type": "string"}"#)
        let schema = try SchemaFixture.schema(
            "{\"$defs\": {\(definitions.joined(separator: ","))}, \"$ref\": \"#/$defs/d0\"}")
        let violations = onSmallStack(keeping: schema) { schema.validate(.number(1)).map(\.description) }
        #expect(violations == ["(root): validation stopped here: schemas applied more than 400 levels deep"])
    }

    /// A flat chain of definitions, each a `$ref` to the next, in `$defs` (read as schemas, found by their
    /// pointer) and in an `x-` extension (not schemas: each target looked up through an index of its object).
    /// Resolving every reference costs a few steps each: a member search per reference made 100,000
    /// definitions take 17 s.
    @Test(arguments: ["$defs", "x-defs"])
    func aFlatChainOfReferencesCompilesInLinearWork(folder: String) throws {
        let count = 2_000
        var definitions = (0..<count - 1).map { "\"d\($0)\": {\"$ref\": \"#/\(folder)/d\($0 + 1)\"}" }
        definitions.append("\"d\(count - 1)\": {\"type\": \"object\"}")
        let text = "{\"\(folder)\": {\(definitions.joined(separator: ","))}, \"$ref\": \"#/\(folder)/d0\"}"
        let (result, work) = JSONSchemaCompiler.measuredCompile(try JSONNodeParser.parse(Array(text.utf8)), file: "s")
        #expect(try result.get().count == count + 1)
        #expect(work <= 5 * count, "\(work) steps for \(count) references")
    }

    @Test func aRecursiveSchemaOnTheDeepestValueTheReaderAcceptsIsBounded() throws {
        let schema = try SchemaFixture.schema(##"{"type": "array", "items": {"$ref": "#"}}"##)
        let shallow = try SchemaFixture.instance(
            String(repeating: "[", count: 150) + String(repeating: "]", count: 150))
        #expect(onSmallStack(keeping: shallow) { schema.validate(shallow).isEmpty })
        let deep = try SchemaFixture.instance(String(repeating: "[", count: 255) + String(repeating: "]", count: 255))
        let violations = onSmallStack(keeping: deep) { schema.validate(deep).map(\.description) }
        #expect(violations.count == 1)
        #expect(
            violations.first?.hasSuffix(": validation stopped here: schemas applied more than 400 levels deep") == true)
    }

    @Test func aValueNestedFarBeyondTheReadersLimitIsSafe() throws {
        var value = JSONValue.null
        for _ in 0..<2_000 { value = .array([value]) }
        let schema = try SchemaFixture.schema(##"{"items": {"$ref": "#"}}"##)
        let nested = value
        let count = onSmallStack(keeping: nested) { schema.validate(nested).count }
        #expect(count == 1)
    }

    @Test func aSchemaNestedAsDeeplyAsTheReaderAllowsCompiles() throws {
        let text = String(repeating: #"{"items": "#, count: 255) + "true" + String(repeating: "}", count: 255)
        let root = try JSONNodeParser.parse(Array(text.utf8))
        let compiled = onSmallStack(keeping: root) {
            if case .success = JSONSchema.compile(root, file: "deep.json") { return true }
            return false
        }
        #expect(compiled)
    }

    @Test func alternativesOverRecursionAreEvaluatedOncePerSchemaAndValue() throws {
        // Sixty levels of two alternatives: 2^60 evaluations without remembering answers.
        var definitions = [#""l0": {"type": "string"}"#]
        for level in 1...60 {
            let below = "{\"$ref\": \"#/$defs/l\(level - 1)\"}"
            definitions.append("\"l\(level)\": {\"oneOf\": [\(below), {\"not\": {\"not\": \(below)}}]}")
        }
        let schema = try SchemaFixture.schema(
            "{\"$defs\": {\(definitions.joined(separator: ", "))}, \"$ref\": \"#/$defs/l60\"}")
        let result = schema.measuredValidate(.number(1))
        #expect(result.violations.count == 1)
        #expect(result.evaluations < 1_000, "\(result.evaluations) evaluations")
    }

    @Test func containsAndItemsCostOneEvaluationPerItem() throws {
        let schema = try SchemaFixture.schema(
            #"{"items": {"type": "integer"}, "contains": {"minimum": 5}, "uniqueItems": true}"#)
        let items = (0..<10_000).map { JSONValue.number(Double($0)) }
        let result = schema.measuredValidate(.array(items))
        #expect(result.violations.isEmpty)
        // Each item: once for `items`, once to judge `contains`, once more for the annotations of a match.
        #expect(result.evaluations <= 1 + 3 * items.count)
        let duplicate = schema.measuredValidate(.array(items + [.number(9_999)]))
        #expect(
            duplicate.violations.map(\.description) == [
                "(root): expected unique items, got a duplicate: items 9999 and 10000 are both number 9999"
            ])
    }

    @Test func catastrophicPatternsAreLinear() throws {
        let schema = try SchemaFixture.schema(#"{"pattern": "^(a+)+$", "patternProperties": {"(x+x+)+y": {}}}"#)
        let text = String(repeating: "a", count: 30_000) + "!"
        #expect(
            schema.validate(.string(text)).map(\.message).first?.hasPrefix("expected a string matching /^(a+)+$/")
                == true)
        #expect(schema.validate(.object([String(repeating: "x", count: 30_000): .null])).isEmpty)
    }

    @Test func theCompilerRefusesWhatTheRegexEngineCannotRunInLinearTime() throws {
        #expect(
            try SchemaFixture.diagnostics(#"{"pattern": "(\\w+)\\1"}"#) == [
                #"schema.json:1:13: error: cannot use "pattern" /(\w+)\1/: backreference \1 is not supported: it needs "#
                    + "backtracking (at character 6 of the pattern)"
            ])
        #expect(
            try SchemaFixture.diagnostics(#"{"patternProperties": {"^.{0,5000}$": {}}}"#) == [
                #"schema.json:1:24: error: cannot use the "patternProperties" pattern /^.{0,5000}$/: the repetition "#
                    + "{0,5000} expands to 10000 NFA states, more than the 1000 allowed for one repetition (at character "
                    + "3 of the pattern)"
            ])
    }
}
