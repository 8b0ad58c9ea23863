import Foundation
import NIOCore

@testable import ConformHTTP
@testable import ConformJSON
@testable import ConformJSONSchema
@testable import ConformKit
@testable import ConformSupport
@testable import ConformXML

/// What one fuzz input goes through. Each target runs the same code as conform does on untrusted input,
/// and checks what must hold whatever the input: a crash, a sanitizer report, a failed check here or a
/// run longer than libFuzzer's `-timeout` is a finding.
enum FuzzTarget: String, CaseIterable {
    /// Suite file text → ``SuiteLoader`` → ``SuiteCompiler``, as if read from suites/fuzz.json.
    case suite
    /// The strict JSON reader (``JSONNodeParser``, ``JSONValue/decode(_:)``): what it reads, written back as
    /// JSON, reads as the same value.
    case json
    /// A response body → ``XMLDocumentReader/read(_:schema:)`` with the Concur access-token XSD.
    case xml
    /// Arbitrary text → ``SecretMasker/mask(_:)`` with a few secrets, and ``SecretFieldFinder/values(in:)``.
    case masker
    /// JSON text → ``JSONSchema/compile(_:file:options:)``, then validation of fixed instances and of itself.
    case jsonschema
    /// A report → ``JUnitReader/read(_:file:)``, as `conform merge` reads one.
    case junit
    /// What a server sends → ``ResponseParser``, whole and in pieces (the input's first byte sets the size of
    /// the pieces and whether the request was a HEAD): both ways read the same response, with the same bytes
    /// left over, or fail the same way, and the body never passes its limit.
    case response

    private static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    nonisolated(unsafe) private static var accessTokenSchema: XMLSchema?
    private static let secrets = ["rt+Echo/Secret=1&x", "pw-é<cho>\"pass", "abc", "0_AbCdEfGhIjKlMn"]
    private static let secretMasker = SecretMasker(secrets: secrets)
    private static let secretFinder = SecretFieldFinder(fields: [
        FieldPath(components: [.key("access_token")]), FieldPath(components: [.key("refresh_token")]),
        FieldPath(components: [.key("Access_Token"), .key("Token")]),
    ])
    private static let instances: [JSONValue] = [
        .null, .bool(true), .number(0), .number(-1.5), .number(1e300), .string(""), .string("é😀 2026-11-25T10:00:00Z"),
        .array([.number(1), .string("a"), .null]),
        .object(["access_token": .string("x"), "expires_in": .number(3600), "nested": .object(["a": .array([])])]),
    ]

    /// Work done once, before the first input.
    func prepare() {
        if self == .xml {
            let suites = Self.root.appendingPathComponent("suites")
            Self.accessTokenSchema = try? XMLSchemaCache().schema(
                at: suites.appendingPathComponent("schemas/concur/access-token.xsd"), suiteFolder: suites)
            precondition(Self.accessTokenSchema != nil, "the Concur access-token schema did not load")
        }
    }

    func run(_ data: Data) {
        switch self {
        case .suite:
            let path = Self.root.appendingPathComponent("suites/fuzz.json").path
            if case .success(let suite) = SuiteLoader().load(data, path: path) {
                _ = SuiteCompiler().compile(suite)
            }
        case .json:
            guard let value = JSONValue.decode(data) else { return }
            let again = JSONValue.decode(value.encoded())
            precondition(again == value, "JSON read back differs from what was written")
        case .xml:
            _ = XMLDocumentReader.read(data, schema: Self.accessTokenSchema)
        case .masker:
            let text = String(decoding: data, as: UTF8.self)
            let masked = Self.secretMasker.mask(text)
            // Masking never shows a long secret as it was given.
            for secret in Self.secrets where secret.utf8.count >= SecretMasker.minimumLength {
                precondition(!masked.contains(secret), "a secret survived masking")
            }
            _ = Self.secretFinder.values(in: data)
        case .jsonschema:
            guard let root = try? JSONNodeParser.parse(Array(data)) else { return }
            guard case .success(let schema) = JSONSchema.compile(root, file: "fuzz.json") else { return }
            for instance in Self.instances + [root.jsonValue] { _ = schema.validate(instance) }
        case .junit:
            _ = try? JUnitReader.read(data, file: "fuzz.xml")
        case .response:
            guard let settings = data.first else { return }
            let bytes = Array(data.dropFirst())
            let expectsNoBody = settings & 0x80 != 0
            let whole = Self.parse(bytes, piece: max(1, bytes.count), expectsNoBody: expectsNoBody)
            let pieces = Self.parse(bytes, piece: Int(settings & 0x7F) + 1, expectsNoBody: expectsNoBody)
            precondition(whole == pieces, "read whole: \(whole); read in pieces: \(pieces)")
        }
    }

    static let responseBodyLimit = 4096

    /// The response `bytes` make when they arrive `piece` bytes at a time and the connection then closes:
    /// its status, headers, body and the bytes left after it, or the kind of its failure.
    static func parse(_ bytes: [UInt8], piece: Int, expectsNoBody: Bool) -> ParsedResponse {
        var parser = ResponseParser(bodyLimit: responseBodyLimit, expectsNoBody: expectsNoBody)
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
        precondition(parser.body.readableBytes <= responseBodyLimit, "the body passed its limit")
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
