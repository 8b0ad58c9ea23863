import Foundation
import Testing

@testable import ConformJSONSchema
@testable import ConformKit

/// Every schema problem is refused when the schema is compiled, as `file:line:column: error: message` at the
/// offending keyword (unsupported or unknown) or value (wrong type), never ignored.
@Suite(.temporaryDirectories) struct JSONSchemaLoadErrorTests {
    private func diagnostics(_ text: String) throws -> [String] { try SchemaFixture.diagnostics(text) }

    @Test func refusedKeywordsAreLocatedAndExplained() throws {
        let text = """
            {
              "$id": "https://example.com/token.json",
              "properties": {
                "a": { "$dynamicRef": "#meta" },
                "b": { "unevaluatedProperties": false, "maxLenght": 3 }
              },
              "dependencies": {}
            }
            """
        #expect(
            try diagnostics(text) == [
                #"schema.json:2:3: error: unsupported JSON Schema keyword "$id": schema identifiers are not "#
                    + #"supported; conform resolves "$ref" only within the same document, by JSON pointer "#
                    + ##"("#/$defs/name") (see docs/json-schema.md)"##,
                #"schema.json:4:12: error: unsupported JSON Schema keyword "$dynamicRef": dynamic references are "#
                    + "not supported (see docs/json-schema.md)",
                #"schema.json:5:12: error: unsupported JSON Schema keyword "unevaluatedProperties": it depends on "#
                    + #"the annotations of every other keyword, which conform does not collect; use "#
                    + #""additionalProperties" (see docs/json-schema.md)"#,
                #"schema.json:5:44: error: unknown JSON Schema keyword "maxLenght"; did you mean "maxLength"? "#
                    + "(conform refuses keywords it does not evaluate; see docs/json-schema.md)",
                #"schema.json:7:3: error: unsupported JSON Schema keyword "dependencies": it is draft 7's; draft "#
                    + #"2020-12 splits it into "dependentRequired" and "dependentSchemas" (see docs/json-schema.md)"#,
            ])
    }

    @Test func extensionsAndAnnotationsAreAccepted() throws {
        let text = """
            {"$schema": "https://json-schema.org/draft/2020-12/schema", "$comment": "c", "title": "t",
             "description": "d", "default": 1, "examples": [1], "deprecated": false, "readOnly": true,
             "writeOnly": false, "contentMediaType": "application/jwt", "contentEncoding": "base64",
             "contentSchema": {"type": "object"}, "x-vendor": {"anything": ["goes"]}}
            """
        #expect(try diagnostics(text) == [])
    }

    @Test func keywordValuesOfTheWrongTypeAreLocatedAtTheValue() throws {
        let text = """
            {"minimum": "3", "required": "a", "minLength": -1, "maxItems": 2.5, "multipleOf": 0,
             "type": "any", "items": [{}], "enum": {}, "uniqueItems": "yes", "allOf": [],
             "properties": {"a": 1}, "pattern": "a(?=b)", "format": "int32", "title": 7,
             "dependentRequired": {"a": ["b", "b"]}}
            """
        #expect(
            try diagnostics(text) == [
                #"schema.json:1:13: error: "minimum" must be a number, got a string"#,
                #"schema.json:1:30: error: "required" must be an array of strings, got a string"#,
                #"schema.json:1:48: error: "minLength" must be a non-negative integer, got -1"#,
                #"schema.json:1:64: error: "maxItems" must be a non-negative integer, got 2.5"#,
                #"schema.json:1:83: error: "multipleOf" must be greater than 0, got 0"#,
                #"schema.json:2:10: error: unknown type "any" in "type" (expected null, boolean, object, array, "#
                    + "number, string, integer)",
                #"schema.json:2:26: error: "items" must be a schema (an object or a boolean), got an array; in "#
                    + #"draft 2020-12 a schema per position is "prefixItems""#,
                #"schema.json:2:40: error: "enum" must be an array, got an object"#,
                #"schema.json:2:59: error: "uniqueItems" must be a boolean, got a string"#,
                #"schema.json:2:75: error: "allOf" must be a non-empty array of schemas, got an empty array"#,
                #"schema.json:3:22: error: "properties" member "a" must be a schema (an object or a boolean), "#
                    + "got a number",
                #"schema.json:3:37: error: cannot use "pattern" /a(?=b)/: lookahead (?=…) is not supported: it "#
                    + "needs backtracking (at character 2 of the pattern)",
                #"schema.json:3:57: error: unsupported format "int32" (conform checks date-time, date, time, "#
                    + "duration, email, idn-email, hostname, ipv4, ipv6, uri, uri-reference, iri, iri-reference, "
                    + "uri-template, uuid, json-pointer, relative-json-pointer, regex; see docs/json-schema.md)",
                #"schema.json:3:75: error: "title" must be a string, got a number"#,
                #"schema.json:4:35: error: "dependentRequired" member "a" lists "b" twice"#,
            ])
    }

    @Test func referencesOutsideTheDocumentOrToNothing() throws {
        let text = """
            {"properties": {
              "a": {"$ref": "other.json#/$defs/x"},
              "b": {"$ref": "#foo"},
              "c": {"$ref": "#/$defs/missing"},
              "d": {"$ref": "#/$defs/x~2"},
              "e": {"$ref": "#/$defs/ok/items/3"},
              "f": {"$ref": "#/$defs/ok/minimum/x"}},
             "$defs": {"ok": {"items": {}, "minimum": 1}}}
            """
        #expect(
            try diagnostics(text) == [
                ##"schema.json:2:17: error: unsupported $ref "other.json#/$defs/x": conform resolves only references "##
                    + ##"within the same document ("#" and a JSON pointer), not other files or URIs "##
                    + "(see docs/json-schema.md)",
                ##"schema.json:3:17: error: unsupported $ref "#foo": anchors are not supported; use a JSON pointer "##
                    + ##"such as "#/$defs/foo" (see docs/json-schema.md)"##,
                ##"schema.json:4:17: error: $ref "#/$defs/missing" points to nothing in this document "##
                    + ##"(no "missing" in "#/$defs")"##,
                ##"schema.json:5:17: error: invalid $ref "#/$defs/x~2": in a JSON pointer "~" must be followed by "##
                    + #""0" or "1""#,
                ##"schema.json:6:17: error: $ref "#/$defs/ok/items/3" points to nothing in this document "##
                    + ##"(no "3" in "#/$defs/ok/items")"##,
                ##"schema.json:7:17: error: $ref "#/$defs/ok/minimum/x" points to nothing in this document "##
                    + ##"("#/$defs/ok/minimum" is a number, not an object or an array)"##,
            ])
    }

    @Test func escapedPointersResolve() throws {
        let schema = try SchemaFixture.schema(
            ##"{"$defs": {"a/b": {"type": "integer"}, "c~d": {"type": "string"}, "e%f": {"type": "null"}},"##
                + ##" "prefixItems": [{"$ref": "#/$defs/a~1b"}, {"$ref": "#/$defs/c~0d"}, {"$ref": "#/$defs/e%25f"},"##
                + ##" {"$ref": "#/prefixItems/0"}]}"##)
        #expect(schema.validate(try SchemaFixture.instance(#"[1, "x", null, 2]"#)).isEmpty)
        #expect(
            schema.validate(try SchemaFixture.instance(#"[1, "x", null, "2"]"#)).map(\.description) == [
                #"[3]: expected integer, got string "2""#
            ])
    }

    @Test func cyclesThatNeverMoveIntoTheInstanceAreRefused() throws {
        #expect(
            try diagnostics(##"{"$ref": "#"}"##) == [
                ##"schema.json:1:2: error: $ref "#" closes a cycle of schemas that never moves into the instance "##
                    + "(# → #), so validation would never end"
            ])
        let text = """
            {"$defs": {
              "a": {"allOf": [{"$ref": "#/$defs/b"}]},
              "b": {"anyOf": [{"type": "string"}, {"$ref": "#/$defs/a"}]}},
             "$ref": "#/$defs/a"}
            """
        #expect(
            try diagnostics(text) == [
                ##"schema.json:2:20: error: $ref "#/$defs/b" closes a cycle of schemas that never moves into the "##
                    + "instance (#/$defs/b → #/$defs/b/anyOf/1 → #/$defs/a → #/$defs/a/allOf/0 → #/$defs/b), so "
                    + "validation would never end"
            ])
        // Through a property or an item, recursion moves into the value: accepted.
        #expect(try diagnostics(##"{"properties": {"next": {"$ref": "#"}}, "items": {"$ref": "#"}}"##) == [])
    }

    @Test func theMetaSchemaMustBeDraft202012AtTheRoot() throws {
        #expect(
            try diagnostics(#"{"$schema": "http://json-schema.org/draft-07/schema#"}"#) == [
                #"schema.json:1:13: error: "$schema" must be "https://json-schema.org/draft/2020-12/schema": "#
                    + #"conform validates JSON Schema draft 2020-12 only, got "http://json-schema.org/draft-07/schema#""#
            ])
        #expect(
            try diagnostics(#"{"items": {"$schema": "https://json-schema.org/draft/2020-12/schema"}}"#) == [
                #"schema.json:1:12: error: "$schema" is allowed only at the root of the schema document"#
            ])
        #expect(try diagnostics(#"{"$schema": "https://json-schema.org/draft/2020-12/schema#"}"#) == [])
    }

    @Test func duplicateKeysAndNonSchemas() throws {
        #expect(
            try diagnostics(#"{"type": "string", "type": "number"}"#) == [
                #"schema.json:1:20: error: duplicate keyword "type" in a schema"#
            ])
        #expect(
            try diagnostics("[]") == ["schema.json:1:1: error: a schema must be an object or a boolean, got an array"])
        #expect(
            try diagnostics(#"{"properties": {"a": {}, "a": {}}}"#) == [
                #"schema.json:1:26: error: "properties" has "a" twice"#
            ])
    }

    @Test func loadReadsTheFileAndLocatesSyntaxErrors() throws {
        let folder = TestPaths.temporaryDirectory()
        let valid = folder.appendingPathComponent("token.json")
        try Data(#"{"type": "object", "required": ["access_token"]}"#.utf8).write(to: valid)
        let schema = try JSONSchema.load(contentsOf: valid.path).get()
        #expect(schema.file == valid.path)
        #expect(
            schema.validate(.object([:])).map(\.description) == [#"(root): missing required property "access_token""#])

        let broken = folder.appendingPathComponent("broken.json")
        try Data("{\n  \"type\": \"object\",\n}\n".utf8).write(to: broken)
        guard case .failure(let error) = JSONSchema.load(contentsOf: broken.path) else {
            Issue.record("a schema with a trailing comma loaded")
            return
        }
        #expect(error.description == "\(broken.path):3:1: error: trailing comma before '}'")

        let missing = folder.appendingPathComponent("missing.json").path
        guard case .failure(let absent) = JSONSchema.load(contentsOf: missing) else {
            Issue.record("a missing schema loaded")
            return
        }
        #expect(absent.diagnostics.count == 1)
        #expect(absent.diagnostics[0].location == nil)
        #expect(absent.description.hasPrefix("\(missing): error: cannot read the JSON Schema: "))
    }

    @Test func everyProblemIsReportedAtOnce() throws {
        let problems = try diagnostics(#"{"a": 1, "b": 2, "items": {"c": 3}}"#)
        let refused = " (conform refuses keywords it does not evaluate; see docs/json-schema.md)"
        #expect(
            problems == [
                #"schema.json:1:2: error: unknown JSON Schema keyword "a""# + refused,
                #"schema.json:1:10: error: unknown JSON Schema keyword "b""# + refused,
                #"schema.json:1:28: error: unknown JSON Schema keyword "c""# + refused,
            ])
    }
}
