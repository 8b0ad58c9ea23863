import Foundation
import NIOCore
import Testing

@testable import ConformHTTP
@testable import ConformJSON
@testable import ConformJSONSchema
@testable import ConformKit
@testable import ConformSupport
@testable import ConformXML

/// Every input committed under fuzz/corpus/TARGET (the seeds, and each finding of fuzz/run.sh once fixed)
/// goes through the same code and the same checks as that fuzz target, on every test run: a finding
/// that comes back fails here without a fuzzer.
@Suite struct FuzzCorpusTests {
    static let corpus = TestPaths.packageRoot.appendingPathComponent("fuzz/corpus")
    static let targets = ["suite", "json", "xml", "masker", "jsonschema", "junit", "response"]

    /// (target, file name) for every committed input; one failing case when the corpus is missing.
    static var inputs: [(String, String)] {
        let found = targets.flatMap { target in
            ((try? FileManager.default.contentsOfDirectory(
                atPath: corpus.appendingPathComponent(target).path)) ?? []).sorted().map { (target, $0) }
        }
        return found.isEmpty ? [("missing", "no fuzz corpus")] : found
    }

    static let secrets = ["rt+Echo/Secret=1&x", "pw-é<cho>\"pass", "abc", "0_AbCdEfGhIjKlMn"]
    /// The instances the `jsonschema` target validates against each input schema, besides the input itself
    /// (fuzz/Sources/ConformFuzz/FuzzTarget.swift).
    static let instances: [JSONValue] = [
        .null, .bool(true), .number(0), .number(-1.5), .number(1e300), .string(""), .string("é😀 2026-11-25T10:00:00Z"),
        .array([.number(1), .string("a"), .null]),
        .object(["access_token": .string("x"), "expires_in": .number(3600), "nested": .object(["a": .array([])])]),
    ]
    static let accessTokenSchema = try! XMLSchemaCache().schema(
        at: TestPaths.packageRoot.appendingPathComponent("suites/schemas/concur/access-token.xsd"),
        suiteFolder: TestPaths.packageRoot.appendingPathComponent("suites"))

    @Test func everyTargetHasSeeds() {
        for target in Self.targets {
            let names =
                (try? FileManager.default.contentsOfDirectory(
                    atPath: Self.corpus.appendingPathComponent(target).path)) ?? []
            #expect(!names.isEmpty, "no seeds in fuzz/corpus/\(target)")
        }
    }

    @Test(arguments: inputs)
    func replays(target: String, name: String) throws {
        let data = try Data(contentsOf: Self.corpus.appendingPathComponent(target).appendingPathComponent(name))
        switch target {
        case "suite":
            let path = TestPaths.packageRoot.appendingPathComponent("suites/fuzz.json").path
            if case .success(let suite) = SuiteLoader().load(data, path: path) {
                _ = SuiteCompiler().compile(suite)
            }
        case "json":
            if let value = JSONValue.decode(data) {
                #expect(JSONValue.decode(value.encoded()) == value, "read back differs")
            }
        case "xml":
            _ = XMLDocumentReader.read(data, schema: Self.accessTokenSchema)
        case "masker":
            let masked = SecretMasker(secrets: Self.secrets).mask(String(decoding: data, as: UTF8.self))
            for secret in Self.secrets where secret.utf8.count >= SecretMasker.minimumLength {
                #expect(!masked.contains(secret))
            }
            _ = SecretFieldFinder(fields: [FieldPath(components: [.key("access_token")])]).values(in: data)
        case "jsonschema":
            if let root = try? JSONNodeParser.parse(Array(data)),
                case .success(let schema) = JSONSchema.compile(root, file: "fuzz.json")
            {
                for instance in Self.instances + [root.jsonValue] { _ = schema.validate(instance) }
            }
        case "junit":
            _ = try? JUnitReader.read(data, file: "fuzz.xml")
        case "response":
            let settings = try #require(data.first)
            let bytes = Array(data.dropFirst())
            let expectsNoBody = settings & 0x80 != 0
            #expect(
                Self.parse(bytes, piece: Int(settings & 0x7F) + 1, expectsNoBody: expectsNoBody)
                    == Self.parse(bytes, piece: max(1, bytes.count), expectsNoBody: expectsNoBody))
        default:
            Issue.record("no fuzz corpus at \(Self.corpus.path)")
        }
    }

    /// As the `response` fuzz target reads: the response `bytes` make when they arrive `piece` bytes at a
    /// time and the connection then closes, or the kind of its failure.
    static func parse(_ bytes: [UInt8], piece: Int, expectsNoBody: Bool) -> ParsedResponse {
        var parser = ResponseParser(bodyLimit: 4096, expectsNoBody: expectsNoBody)
        var offset = 0
        do {
            var complete = false
            while offset < bytes.count, !complete {
                var buffer = ByteBuffer(bytes: bytes[offset..<min(offset + piece, bytes.count)])
                offset = min(offset + piece, bytes.count)
                if case .complete = try parser.feed(&buffer) { complete = true }
            }
            if !complete { try parser.finishAtClose() }
        } catch {
            return .failed(error.kind)
        }
        #expect(parser.body.readableBytes <= 4096)
        guard let head = parser.head else { return .noHead }
        return .response(
            status: head.status, headers: head.headers.flatMap { [$0.name, $0.value] },
            body: Array(parser.body.readableBytesView), left: parser.leftover + bytes.count - offset)
    }

    /// What a response parse came to, compared as a value.
    enum ParsedResponse: Equatable {
        case response(status: Int, headers: [String], body: [UInt8], left: Int)
        case noHead
        case failed(String)
    }
}
