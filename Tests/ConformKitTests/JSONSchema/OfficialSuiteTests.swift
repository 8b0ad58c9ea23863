import Foundation
import Testing

@testable import ConformJSON
@testable import ConformJSONSchema
@testable import ConformKit

/// The official JSON-Schema-Test-Suite (draft 2020-12, required tests) is the judge of the validator. It is
/// the copy that the source distribution of PyPI's jsonschema 4.26.0 carries, fetched and checked against its
/// sha256 by `Tests/run.sh` into the git-ignored `.build-cache/json-schema-test-suite`: the same files on
/// every machine, so the totals below are exact.
///
/// Every file is listed here, as supported or unsupported, so that a new file cannot be skipped unnoticed.
/// In a supported file every group must compile and every test must get the suite's verdict, except the
/// groups listed in `refusedGroups`, which must be refused for the reason given. In an unsupported file
/// every group must be refused, never validated. Every refusal must be one conform documents (an
/// unsupported keyword, `$ref` form, format or meta-schema), never a type error or a crash. The totals are
/// exact so that they cannot drift unnoticed.
@Suite struct JSONSchemaOfficialSuiteTests {
    static let folder = TestPaths.packageRoot.appendingPathComponent(".build-cache/json-schema-test-suite/draft2020-12")

    /// Files of keywords conform evaluates.
    static let supportedFiles = [
        "additionalProperties.json", "allOf.json", "anyOf.json", "boolean_schema.json", "const.json",
        "contains.json", "content.json", "default.json", "defs.json", "dependentRequired.json",
        "dependentSchemas.json", "enum.json", "exclusiveMaximum.json", "exclusiveMinimum.json", "format.json",
        "if-then-else.json", "infinite-loop-detection.json", "items.json", "maxContains.json", "maxItems.json",
        "maxLength.json", "maxProperties.json", "maximum.json", "minContains.json", "minItems.json",
        "minLength.json", "minProperties.json", "minimum.json", "multipleOf.json", "not.json", "oneOf.json",
        "pattern.json", "patternProperties.json", "prefixItems.json", "properties.json", "propertyNames.json",
        "ref.json", "required.json", "type.json", "uniqueItems.json",
    ]

    /// Files of keywords conform refuses, and why (docs/json-schema.md says the same).
    static let unsupportedFiles: [String: String] = [
        "anchor.json": "$anchor: conform resolves $ref by JSON pointer only",
        "dynamicRef.json": "$dynamicRef and $dynamicAnchor: dynamic references are not supported",
        "refRemote.json": "remote $ref: conform resolves references within the same document only",
        "unevaluatedItems.json": "unevaluatedItems: conform does not collect annotations",
        "unevaluatedProperties.json": "unevaluatedProperties: conform does not collect annotations",
        "vocabulary.json": "$vocabulary and custom meta-schemas are not supported",
    ]

    /// Groups of supported files that use something conform refuses, with the text their diagnostic names.
    static let refusedGroups: [String: [String: String]] = {
        let id = "keyword \"$id\""  // the group's $refs resolve against $id: refused with it
        let metaSchema = "unsupported $ref \"https://json-schema.org/draft/2020-12/schema\""  // a remote $ref
        let unevaluated = "keyword \"unevaluatedProperties\""
        return [
            "defs.json": ["validate definition against metaschema": metaSchema],
            "format.json": ["idn-hostname format": "unsupported format \"idn-hostname\""],
            "not.json": ["collect annotations inside a 'not', even if collection is disabled": unevaluated],
            "ref.json": [
                "remote ref, containing refs itself": metaSchema,
                "ref creates new scope when adjacent to keywords": unevaluated,
                "Recursive references between schemas": id,
                "refs with relative uris and defs": id,
                "relative refs with absolute uris and defs": id,
                "$id must be resolved against nearest parent, not just immediate parent": id,
                "order of evaluation: $id and $ref": id,
                "order of evaluation: $id and $anchor and $ref": id,
                "simple URN base URI with $ref via the URN": id,
                "simple URN base URI with JSON pointer": id,
                "URN base URI with NSS": id,
                "URN base URI with r-component": id,
                "URN base URI with q-component": id,
                "URN base URI with URN and JSON pointer ref": id,
                "URN base URI with URN and anchor ref": id,
                "URN ref with nested pointer ref": id,
                "ref to if": id,
                "ref to then": id,
                "ref to else": id,
                "ref with absolute-path-reference": id,
                "$id with file URI still resolves pointers - *nix": id,
                "$id with file URI still resolves pointers - windows": id,
            ],
        ]
    }()

    /// The beginnings of the diagnostics of a documented refusal.
    static let refusalPrefixes = [
        "unsupported JSON Schema keyword ", "unsupported $ref ", "unsupported format ",
        "\"$schema\" must be \"https://json-schema.org/draft/2020-12/schema\"",
    ]

    struct Totals: Equatable, CustomStringConvertible {
        var supportedFiles = 0
        var unsupportedFiles = 0
        var groupsPassed = 0
        var testsPassed = 0
        /// Groups of supported files that use an unsupported keyword or `$ref` form (`refusedGroups`).
        var groupsRefusedInSupportedFiles = 0
        var groupsRefusedInUnsupportedFiles = 0
        var testsInRefusedGroups = 0

        var description: String {
            "\(supportedFiles + unsupportedFiles) files (\(supportedFiles) supported): \(groupsPassed) groups passed "
                + "with \(testsPassed) tests; \(groupsRefusedInSupportedFiles + groupsRefusedInUnsupportedFiles) groups "
                + "refused (\(groupsRefusedInSupportedFiles) in supported files, \(groupsRefusedInUnsupportedFiles) in "
                + "unsupported files) with \(testsInRefusedGroups) tests not run"
        }
    }

    @Test func everyGroupOfEverySupportedKeywordPasses() throws {
        guard FileManager.default.fileExists(atPath: Self.folder.path) else {
            Issue.record(
                "the JSON-Schema-Test-Suite is missing: expected its draft2020-12 folder at \(Self.folder.path); fetch it with 'Tests/run.sh --setup-only' (or run the tests with Tests/run.sh)"
            )
            return
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        #expect(!names.isEmpty, "no test files in \(Self.folder.path)")
        #expect(names == (Self.supportedFiles + Self.unsupportedFiles.keys).sorted(), "every file is listed once")

        var totals = Totals()
        for name in names {
            let isSupported = Self.supportedFiles.contains(name)
            if isSupported { totals.supportedFiles += 1 } else { totals.unsupportedFiles += 1 }
            let path = Self.folder.appendingPathComponent(name).path
            let groups = try Self.groups(in: path)
            var refusedHere: Set<String> = []
            for group in groups {
                switch JSONSchema.compile(group.schema, file: path) {
                case .success(let schema):
                    #expect(isSupported, "\(name): \"\(group.description)\" compiled in an unsupported file")
                    #expect(
                        Self.refusedGroups[name]?[group.description] == nil,
                        "\(name): \"\(group.description)\" is listed as refused but compiles")
                    var allPassed = true
                    for test in group.tests {
                        let violations = schema.validate(test.data)
                        let isValid = violations.allSatisfy(\.isAnnotation)
                        if isValid != test.valid {
                            allPassed = false
                            let expected = test.valid ? "valid" : "invalid"
                            Issue.record(
                                "\(name): \"\(group.description)\" / \"\(test.description)\": expected \(expected), got \(violations.map(\.description))"
                            )
                        }
                    }
                    if allPassed {
                        totals.groupsPassed += 1
                        totals.testsPassed += group.tests.count
                    }
                case .failure(let error):
                    refusedHere.insert(group.description)
                    if isSupported {
                        totals.groupsRefusedInSupportedFiles += 1
                    } else {
                        totals.groupsRefusedInUnsupportedFiles += 1
                    }
                    totals.testsInRefusedGroups += group.tests.count
                    for diagnostic in error.diagnostics {
                        #expect(
                            Self.refusalPrefixes.contains { diagnostic.message.hasPrefix($0) },
                            "\(name): \"\(group.description)\" refused for an undocumented reason: \(diagnostic)")
                    }
                    if isSupported {
                        let expected = Self.refusedGroups[name]?[group.description]
                        #expect(expected != nil, "\(name): \"\(group.description)\" refused: \(error)")
                        if let expected {
                            #expect(
                                error.diagnostics.contains { $0.message.contains(expected) },
                                "\(name): \"\(group.description)\" refused without naming \(expected): \(error)")
                        }
                    }
                }
            }
            for listed in Self.refusedGroups[name]?.keys.sorted() ?? [] where !refusedHere.contains(listed) {
                Issue.record("\(name): \"\(listed)\" is listed as refused but is not in the file or not refused")
            }
        }
        print("JSON-Schema-Test-Suite draft 2020-12: \(totals)")
        #expect(
            totals
                == Totals(
                    supportedFiles: 40, unsupportedFiles: 6, groupsPassed: 234, testsPassed: 925,
                    groupsRefusedInSupportedFiles: 25, groupsRefusedInUnsupportedFiles: 109, testsInRefusedGroups: 332))
    }

    // MARK: - Reading the suite

    struct Group {
        var description: String
        var schema: JSONNode
        var tests: [(description: String, data: JSONValue, valid: Bool)]
    }

    /// The groups of one file, read with conform's located reader so that diagnostics point into the file.
    static func groups(in path: String) throws -> [Group] {
        let root = try JSONNodeParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        guard case .array(let items) = root.value else { throw SuiteFormatError(path: path) }
        return try items.map { item in
            guard let description = member("description", of: item).flatMap(\.jsonValue.scalarText),
                let schema = member("schema", of: item), let tests = member("tests", of: item),
                case .array(let testItems) = tests.value
            else { throw SuiteFormatError(path: path) }
            return Group(
                description: description, schema: schema,
                tests: try testItems.map { test in
                    guard let text = member("description", of: test).flatMap(\.jsonValue.scalarText),
                        let data = member("data", of: test), case .bool(let valid)? = member("valid", of: test)?.value
                    else { throw SuiteFormatError(path: path) }
                    return (text, data.jsonValue, valid)
                })
        }
    }

    private static func member(_ key: String, of node: JSONNode) -> JSONNode? {
        guard case .object(let members) = node.value else { return nil }
        return members.first { $0.key == key }?.value
    }

    struct SuiteFormatError: Error, CustomStringConvertible {
        var path: String
        var description: String { "\(path) is not a JSON-Schema-Test-Suite file" }
    }
}
