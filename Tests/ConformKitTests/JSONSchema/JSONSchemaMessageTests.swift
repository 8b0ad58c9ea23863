import Foundation
import Testing

@testable import ConformJSONSchema
@testable import ConformKit
@testable import ConformSupport

/// The exact words of each keyword's violations: what was expected, what was seen, and where.
@Suite struct JSONSchemaMessageTests {
    private func messages(_ schema: String, _ instance: String) throws -> [String] {
        try SchemaFixture.messages(SchemaFixture.schema(schema), instance)
    }

    static let token = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "required": ["access_token", "token_type", "expires_in"],
          "properties": {
            "access_token": { "type": "string", "minLength": 1 },
            "token_type": { "enum": ["Bearer", "bearer"] },
            "expires_in": { "type": "integer", "exclusiveMinimum": 0 },
            "scope": { "type": "string", "pattern": "^[a-z ]+$" }
          },
          "additionalProperties": false
        }
        """

    @Test func aTokenResponse() throws {
        let schema = try SchemaFixture.schema(Self.token)
        #expect(
            try SchemaFixture.messages(
                schema, #"{"access_token": "abc", "token_type": "Bearer", "expires_in": 3600, "scope": "read write"}"#
            )
            .isEmpty)
        #expect(
            try SchemaFixture.messages(
                schema, #"{"access_token": "", "token_type": "mac", "expires_in": "3600", "scope": "A", "foo": 1}"#)
                == [
                    #"(root): additional property "foo" is not allowed"#,
                    #"access_token: expected at least 1 character, got 0: """#,
                    #"token_type: expected one of "Bearer", "bearer", got string "mac""#,
                    #"expires_in: expected integer, got string "3600""#,
                    #"scope: expected a string matching /^[a-z ]+$/, got string "A""#,
                ])
        // Every missing required property is reported, in the schema's order.
        #expect(
            try SchemaFixture.messages(schema, #"{"token_type": "Bearer"}"#) == [
                #"(root): missing required property "access_token""#,
                #"(root): missing required property "expires_in""#,
            ])
        #expect(try SchemaFixture.messages(schema, "[]") == ["(root): expected object, got an array of 0"])
    }

    @Test func violationsCarryTheirPathKeywordAndSchemaLocation() throws {
        let schema = try SchemaFixture.schema(Self.token)
        let violations = schema.validate(try SchemaFixture.instance(#"{"access_token": 1, "token_type": "Bearer"}"#))
        #expect(
            violations == [
                JSONSchemaViolation(
                    instancePath: "", keyword: "required",
                    schemaLocation: ConformSupport.SourceLocation(line: 4, column: 3),
                    message: #"missing required property "expires_in""#),
                JSONSchemaViolation(
                    instancePath: "access_token", keyword: "type",
                    schemaLocation: ConformSupport.SourceLocation(line: 6, column: 23),
                    message: "expected string, got number 1"),
            ])
    }

    @Test func paths() throws {
        let schema = """
            {"properties": {"items": {"items": {"properties": {"id": {"type": "string"}}}}},
             "additionalProperties": {"type": "integer"}}
            """
        #expect(
            try messages(schema, #"{"items": [{"id": "a"}, {"id": 7}], "n": 1.5}"#) == [
                "items[1].id: expected string, got number 7",
                "n: expected integer, got number 1.5",
            ])
        #expect(try messages(#"{"items": {"type": "null"}}"#, "[null, 0]") == ["[1]: expected null, got number 0"])
        #expect(
            try messages(#"{"items": {"items": {"type": "null"}}}"#, "[[null], [null, true]]") == [
                "[1][1]: expected null, got boolean true"
            ])
    }

    @Test func types() throws {
        #expect(try messages(#"{"type": "integer"}"#, "1.0").isEmpty)  // 2020-12: 1.0 is an integer
        #expect(try messages(#"{"type": "integer"}"#, "1.5") == ["(root): expected integer, got number 1.5"])
        #expect(
            try messages(#"{"type": ["string", "null"]}"#, "3") == ["(root): expected string or null, got number 3"])
        #expect(
            try messages(#"{"type": ["string", "number", "null"]}"#, "{}")
                == ["(root): expected string, number or null, got an object with 0 fields"])
        #expect(try messages(#"{"type": "boolean"}"#, "0") == ["(root): expected boolean, got number 0"])
        #expect(try messages(#"{"type": "number"}"#, "true") == ["(root): expected number, got boolean true"])
    }

    @Test func enumAndConst() throws {
        #expect(try messages(#"{"enum": [1, "a", null]}"#, "1.0").isEmpty)
        #expect(
            try messages(#"{"enum": [1, "a", null]}"#, "false") == [
                #"(root): expected one of 1, "a", null, got boolean false"#
            ])
        #expect(try messages(#"{"enum": []}"#, "1") == ["(root): expected no value (the enum is empty), got number 1"])
        let many = (1...40).map { "\"value-\($0)\"" }.joined(separator: ", ")
        #expect(
            try messages("{\"enum\": [\(many)]}", #""x""#) == [
                #"(root): expected one of "value-1", "value-2", "value-3", "value-4", "value-5", "value-6", "#
                    + #""value-7", "value-8", "value-9", "value-10", … (40 values), got string "x""#
            ])
        #expect(try messages(#"{"const": {"a": [1, 2], "b": null}}"#, #"{"b": null, "a": [1.0, 2]}"#).isEmpty)
        #expect(
            try messages(#"{"const": {"a": [1, 2]}}"#, #"{"a": [2, 1]}"#)
                == [#"(root): expected {"a":[1,2]}, got an object with 1 field"#])
        #expect(try messages(#"{"const": "ä"}"#, "\"a\\u0308\"") == [#"(root): expected "ä", got string "ä""#])
        #expect(try messages(#"{"const": false}"#, "0") == ["(root): expected false, got number 0"])
    }

    @Test func numbers() throws {
        #expect(try messages(#"{"minimum": 5}"#, "4") == ["(root): expected a number >= 5, got number 4"])
        #expect(try messages(#"{"exclusiveMinimum": 5}"#, "5") == ["(root): expected a number > 5, got number 5"])
        #expect(try messages(#"{"maximum": 5}"#, "5.5") == ["(root): expected a number <= 5, got number 5.5"])
        #expect(try messages(#"{"exclusiveMaximum": 5}"#, "5") == ["(root): expected a number < 5, got number 5"])
        #expect(try messages(#"{"minimum": 5}"#, #""4""#).isEmpty)  // bounds judge numbers only
        #expect(
            try messages(#"{"multipleOf": 0.01}"#, "1.005") == ["(root): expected a multiple of 0.01, got number 1.005"]
        )
        #expect(try messages(#"{"multipleOf": 0.01}"#, "19.99").isEmpty)
        #expect(try messages(#"{"multipleOf": 0.0001}"#, "0.0075").isEmpty)
        #expect(try messages(#"{"multipleOf": 0.1}"#, "0.3").isEmpty)  // 0.3 / 0.1 is 2.9999999999999996 in binary
        #expect(try messages(#"{"multipleOf": 1.5}"#, "4.5").isEmpty)
        #expect(try messages(#"{"multipleOf": 1.5}"#, "35") == ["(root): expected a multiple of 1.5, got number 35"])
    }

    @Test func boundsAreInclusiveOrExclusiveAsTheirNamesSay() throws {
        #expect(try messages(#"{"minLength": 2, "maxLength": 2}"#, #""ab""#).isEmpty)
        #expect(try messages(#"{"minItems": 2, "maxItems": 2}"#, "[1, 2]").isEmpty)
        #expect(try messages(#"{"minProperties": 1, "maxProperties": 1}"#, #"{"a": 1}"#).isEmpty)
        #expect(try messages(#"{"minimum": 5, "maximum": 5}"#, "5").isEmpty)
        #expect(try messages(#"{"exclusiveMinimum": 4.9, "exclusiveMaximum": 5.1}"#, "5").isEmpty)
        #expect(try messages(#"{"contains": {"const": 1}, "minContains": 2, "maxContains": 2}"#, "[1, 1, 2]").isEmpty)
    }

    @Test func strings() throws {
        #expect(try messages(#"{"minLength": 2}"#, #""😀""#) == [#"(root): expected at least 2 characters, got 1: "😀""#])
        #expect(
            try messages(#"{"maxLength": 2}"#, "\"e\\u0301e\"") == [
                "(root): expected at most 2 characters, got 3: \"ée\""
            ])
        #expect(try messages(#"{"maxLength": 1}"#, #""ab""#) == [#"(root): expected at most 1 character, got 2: "ab""#])
        let long = String(repeating: "x", count: 200)
        #expect(
            try messages(#"{"maxLength": 10}"#, "\"\(long)\"") == [
                "(root): expected at most 10 characters, got 200: \"\(String(repeating: "x", count: 60))…\""
            ])
        #expect(
            try messages(#"{"pattern": "^\\d+$"}"#, "\"\(long)\"") == [
                "(root): expected a string matching /^\\d+$/, got string \"\(String(repeating: "x", count: 80))…\" "
                    + "(200 characters)"
            ])
        #expect(try messages(#"{"pattern": "b"}"#, #""abc""#).isEmpty)  // a search, not a whole match
    }

    @Test func arrays() throws {
        #expect(try messages(#"{"minItems": 2}"#, "[1]") == ["(root): expected at least 2 items, got 1"])
        #expect(try messages(#"{"maxItems": 1}"#, "[1, 2]") == ["(root): expected at most 1 item, got 2"])
        #expect(
            try messages(#"{"uniqueItems": true}"#, #"[1, {"a": 1}, "x", {"a": 1.0}]"#) == [
                "(root): expected unique items, got a duplicate: items 1 and 3 are both an object with 1 field"
            ])
        #expect(try messages(#"{"uniqueItems": true}"#, #"[1, true, "1", [1]]"#).isEmpty)
        #expect(
            try messages(#"{"prefixItems": [{"type": "string"}], "items": false}"#, #"["a", 1, 2]"#) == [
                "(root): expected at most 1 item (items is false), got 3"
            ])
        #expect(try messages(#"{"items": false}"#, "[0]") == ["(root): expected no items (items is false), got 1"])
        #expect(
            try messages(#"{"prefixItems": [{"type": "string"}, false]}"#, #"[1, 2]"#) == [
                "[1]: no item is allowed at this position (prefixItems 1 is false)",
                "[0]: expected string, got number 1",
            ])
        #expect(
            try messages(#"{"contains": {"type": "string"}}"#, "[1, 2]")
                == ["(root): expected at least 1 item matching contains, got 0 of 2"])
        #expect(
            try messages(#"{"contains": {"type": "string"}, "minContains": 2, "maxContains": 3}"#, #"["a", 1]"#)
                == ["(root): expected at least 2 items matching contains, got 1 of 2"])
        #expect(
            try messages(#"{"contains": {"type": "string"}, "maxContains": 1}"#, #"["a", "b", 1]"#)
                == ["(root): expected at most 1 item matching contains, got 2 of 3"])
        #expect(try messages(#"{"contains": {"type": "string"}, "minContains": 0}"#, "[]").isEmpty)
    }

    @Test func objects() throws {
        #expect(
            try messages(#"{"minProperties": 2}"#, #"{"a": 1}"#) == ["(root): expected at least 2 properties, got 1"])
        #expect(
            try messages(#"{"maxProperties": 1}"#, #"{"a": 1, "b": 2}"#) == [
                "(root): expected at most 1 property, got 2"
            ])
        #expect(
            try messages(#"{"dependentRequired": {"card": ["billing", "name"]}}"#, #"{"card": 1, "name": "x"}"#) == [
                #"(root): property "card" requires property "billing", which is missing"#
            ])
        #expect(
            try messages(#"{"dependentSchemas": {"card": {"required": ["billing"]}}}"#, #"{"card": 1}"#) == [
                #"(root): missing required property "billing""#
            ])
        #expect(
            try messages(#"{"propertyNames": {"pattern": "^[a-z]+$"}}"#, #"{"ok": 1, "Not_OK": 2}"#) == [
                #"(root): property name "Not_OK": expected a string matching /^[a-z]+$/, got string "Not_OK""#
            ])
        #expect(
            try messages(#"{"propertyNames": {"maxLength": 3}}"#, #"{"abcd": 1}"#) == [
                #"(root): property name "abcd": expected at most 3 characters, got 4: "abcd""#
            ])
        #expect(
            try messages(#"{"propertyNames": false}"#, #"{"a": 1}"#) == [
                #"(root): property "a" is not allowed (propertyNames is false)"#
            ])
        #expect(
            try messages(#"{"properties": {"a": false}}"#, #"{"a": 1}"#) == [#"(root): property "a" is not allowed"#])
        #expect(
            try messages(
                #"{"patternProperties": {"^x-": false}, "additionalProperties": false}"#, #"{"x-a": 1, "b": 2}"#)
                == [
                    #"(root): additional property "b" is not allowed"#,
                    #"(root): property "x-a" is not allowed (it matches /^x-/)"#,
                ])
        #expect(
            try messages(
                #"{"properties": {"a": {}}, "patternProperties": {"^b": {"type": "integer"}}, "additionalProperties": false}"#,
                #"{"a": 1, "b1": 2, "b2": "x"}"#) == [#"b2: expected integer, got string "x""#])
        #expect(
            try messages(#"{"dependentSchemas": {"a": false}}"#, #"{"a": 1}"#) == [
                #"(root): property "a" is not allowed (its dependentSchemas is false)"#
            ])
    }

    @Test func anyOfAndOneOfReportConcisely() throws {
        #expect(
            try messages(#"{"anyOf": [{"type": "string"}, {"type": "null"}]}"#, "3") == [
                "(root): matches none of the 2 alternatives of anyOf: (1) expected string, got number 3; "
                    + "(2) expected null, got number 3"
            ])
        #expect(
            try messages(#"{"oneOf": [{"type": "number"}, {"type": "integer"}, {"type": "string"}]}"#, "3") == [
                "(root): matches 2 alternatives of oneOf (1 and 2), expected exactly one"
            ])
        #expect(
            try messages(#"{"oneOf": [{"minimum": 0}, {"maximum": 10}, {"type": "number"}]}"#, "5") == [
                "(root): matches 3 alternatives of oneOf (1, 2 and 3), expected exactly one"
            ])
        #expect(
            try messages(
                #"{"oneOf": [{"required": ["a"]}, {"properties": {"b": {"type": "string"}}, "required": ["b"]}]}"#,
                #"{"b": 1}"#) == [
                    #"(root): matches none of the 2 alternatives of oneOf: (1) missing required property "a"; "#
                        + "(2) b: expected string, got number 1"
                ])
        let seven = (1...7).map { "{\"const\": \($0)}" }.joined(separator: ", ")
        #expect(
            try messages("{\"anyOf\": [\(seven)]}", "0") == [
                "(root): matches none of the 7 alternatives of anyOf: (1) expected 1, got number 0; "
                    + "(2) expected 2, got number 0; (3) expected 3, got number 0; (4) expected 4, got number 0; "
                    + "(5) expected 5, got number 0; … (2 more)"
            ])
        #expect(try messages(#"{"anyOf": [{"type": "string"}, {"type": "number"}]}"#, "3").isEmpty)
    }

    @Test func allOfReportsEveryViolation() throws {
        #expect(
            try messages(#"{"allOf": [{"type": "string"}, {"minimum": 5}, {"const": 4}]}"#, "3") == [
                "(root): expected string, got number 3",
                "(root): expected a number >= 5, got number 3",
                "(root): expected 4, got number 3",
            ])
    }

    @Test func notIfThenElseAndBooleanSchemas() throws {
        #expect(
            try messages(#"{"not": {"type": "null"}}"#, "null")
                == [#"(root): expected a value that does not match the "not" schema, got null"#])
        let conditional = #"{"if": {"minimum": 10}, "then": {"multipleOf": 10}, "else": {"maximum": 5}}"#
        #expect(try messages(conditional, "15") == ["(root): expected a multiple of 10, got number 15"])
        #expect(try messages(conditional, "7") == ["(root): expected a number <= 5, got number 7"])
        #expect(try messages(conditional, "20").isEmpty)
        #expect(try messages("false", "1") == ["(root): no value is allowed here (the schema is false), got number 1"])
        #expect(try messages("true", "1").isEmpty)
        #expect(
            try messages(
                ##"{"$defs": {"never": false}, "properties": {"a": {"$ref": "#/$defs/never"}}}"##, #"{"a": 1}"#)
                == ["a: no value is allowed here (the schema is false), got number 1"])
    }

    @Test func referencesAndRecursion() throws {
        let tree = """
            {"$defs": {"node": {"type": "object", "required": ["value"],
                                "properties": {"value": {"type": "integer"},
                                               "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}},
             "$ref": "#/$defs/node"}
            """
        #expect(
            try messages(tree, #"{"value": 1, "children": [{"value": 2}, {"value": "x", "children": [{}]}]}"#) == [
                #"children[1].value: expected integer, got string "x""#,
                #"children[1].children[0]: missing required property "value""#,
            ])
        #expect(
            try messages(##"{"properties": {"next": {"$ref": "#"}}, "type": "object"}"##, #"{"next": {"next": 1}}"#)
                == [
                    "next.next: expected object, got number 1"
                ])
    }

    @Test func formatsAreAnnotationsUnlessAsserted() throws {
        let annotated = try SchemaFixture.schema(#"{"properties": {"at": {"format": "date-time"}}}"#)
        let violations = annotated.validate(try SchemaFixture.instance(#"{"at": "yesterday"}"#))
        #expect(violations.map(\.description) == [#"at: expected a date-time (RFC 3339), got string "yesterday""#])
        #expect(violations.map(\.isAnnotation) == [true])
        #expect(annotated.isValid(try SchemaFixture.instance(#"{"at": "yesterday"}"#)))

        let asserted = try SchemaFixture.schema(
            #"{"properties": {"at": {"format": "date-time"}}}"#, options: JSONSchema.Options(formatAssertion: true))
        let failures = asserted.validate(try SchemaFixture.instance(#"{"at": "yesterday"}"#))
        #expect(failures.map(\.isAnnotation) == [false])
        #expect(!asserted.isValid(try SchemaFixture.instance(#"{"at": "yesterday"}"#)))
        #expect(asserted.validate(try SchemaFixture.instance(#"{"at": "2024-02-29T12:00:00Z"}"#)).isEmpty)
        #expect(asserted.validate(try SchemaFixture.instance(#"{"at": 12}"#)).isEmpty)  // formats judge strings only
    }

    @Test func annotationsComeOnlyFromSubschemasThatHold() throws {
        let schema = try SchemaFixture.schema(
            #"{"anyOf": [{"format": "email"}, {"format": "uuid"}, {"type": "number"}], "not": {"format": "ipv4", "minLength": 5}}"#
        )
        // Both string alternatives hold (formats are annotations), so both annotate; `not` never does.
        #expect(
            schema.validate(.string("x")).map(\.description) == [
                #"(root): expected an email address (RFC 5321), got string "x""#,
                #"(root): expected a UUID (RFC 9562), got string "x""#,
            ])
        let failing = try SchemaFixture.schema(#"{"anyOf": [{"format": "email", "minLength": 5}, {"type": "string"}]}"#)
        #expect(failing.validate(.string("x")).isEmpty)  // the first alternative fails: its annotation is dropped
    }

    @Test func theReportIsBounded() throws {
        let schema = try SchemaFixture.schema(#"{"items": {"type": "string"}}"#)
        let violations = schema.validate(.array(Array(repeating: .number(1), count: 500)))
        #expect(violations.count == 101)
        #expect(violations[99].description == "[99]: expected string, got number 1")
        #expect(violations[100].description == "(root): more violations not shown (conform reports the first 100)")
        #expect(violations.allSatisfy { $0.message.count < 600 })
    }

    @Test func nestedAlternativesStayBounded() throws {
        // Twenty levels of two alternatives each: the reasons of each level are cut, so nesting cannot multiply
        // the length of a message, and each (schema, value) pair is judged once, not 2^20 times.
        var definitions = [#""l0": {"type": "string"}"#]
        for level in 1...20 {
            definitions.append(
                "\"l\(level)\": {\"anyOf\": [{\"$ref\": \"#/$defs/l\(level - 1)\"}, {\"$ref\": \"#/$defs/l\(level - 1)\"}]}"
            )
        }
        let schema = try SchemaFixture.schema(
            "{\"$defs\": {\(definitions.joined(separator: ", "))}, \"$ref\": \"#/$defs/l20\"}")
        let violations = schema.validate(.number(1))
        #expect(violations.count == 1)
        #expect(violations[0].message.count < 500)
        #expect(violations[0].message.hasPrefix("matches none of the 2 alternatives of anyOf: (1) matches none of"))
    }
}
