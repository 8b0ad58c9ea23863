import Foundation
import Testing

@testable import ConformHTTP
@testable import ConformJSON
@testable import ConformJSONSchema
@testable import ConformKit
@testable import ConformSupport

/// `--har`: every exchange of the run as HAR 1.2, valid under the format's schema, its timings adding up,
/// and no secret in it.
@Suite(.temporaryDirectories) struct HARTests {
    private static let schema = TestPaths.fixtures.appendingPathComponent("har/har-1.2.schema.json").path

    @Test func aRunWritesEveryExchangeAsValidHARWithoutSecrets() async throws {
        let folder = TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("run.har").path
        let (outcome, mock) = try await StartedMock.live("oauth2", [TestPaths.suite("oauth2.json")]) {
            $0.harPath = path
        }
        #expect(outcome.status == .passed)
        let data = try InputFile.read(path)
        let schema = try JSONSchema.load(contentsOf: Self.schema, options: .init(formatAssertion: true)).get()
        let document = try #require(JSONValue.decode(data))
        #expect(schema.validate(document).map(\.description) == [])
        guard case .object(let root)? = Optional(document), case .object(let log)? = root["log"],
            case .array(let entries)? = log["entries"]
        else { throw Failure("no entries") }
        #expect(entries.count == mock.recorder.requestCount)
        for entry in entries {
            guard case .object(let fields) = entry, case .object(let timings)? = fields["timings"],
                case .number(let time)? = fields["time"]
            else { throw Failure("an entry without timings") }
            let phases = ["blocked", "dns", "connect", "send", "wait", "receive"].compactMap { name -> Double? in
                if case .number(let value)? = timings[name], value >= 0 { return value } else { return nil }
            }
            #expect(abs(phases.reduce(0, +) - time) < 0.01, "phases \(phases) do not add up to \(time)")
        }
        let text = String(decoding: data, as: UTF8.self)
        for secret in mock.recorder.secrets + [
            ClientAuthentication.basicCredentials(
                id: mock.environment["OAUTH2_CLIENT_ID"]!, secret: mock.environment["OAUTH2_CLIENT_SECRET"]!)
        ] {
            #expect(!text.contains(secret), "the HAR shows \(secret.prefix(6))…")
        }
        #expect(text.contains(#""name" : "Authorization","#))
        #expect(text.contains(#""value" : "Basic ***""#))
    }

    /// The mock issues a fresh token per request; the report keeps only some samples, the HAR every one,
    /// so every sample the HAR keeps must have its tokens masked too.
    @Test func repeatedSamplesShowNoIssuedTokenInTheHAR() async throws {
        let folder = TestPaths.temporaryDirectory()
        let path = folder.appendingPathComponent("run.har").path
        let (outcome, mock) = try await StartedMock.live("pitchpoint", [TestPaths.suite("pitchpoint.json")]) {
            $0.harPath = path
            $0.repeatCount = 3
        }
        #expect(outcome.status == .passed)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let secrets = mock.recorder.secrets
        // Three samples of each of the three refresh cases issue an access and a refresh token each.
        #expect(secrets.count >= 2 * 3 * 3)
        let shown = secrets.filter { text.contains($0) }
        #expect(shown.isEmpty, "the HAR shows \(shown.count) of \(secrets.count) secrets")
        #expect(text.contains(#"\"access_token\":\"***\""#))
    }

    @Test func aRequestWithoutAResponseHasStatusZeroAndSaysWhy() throws {
        let recorder = HARRecorder()
        let request = TransportTest.request(URL(string: "http://127.0.0.1:9/token")!)
        recorder.record(
            Exchange(
                request: request, response: nil, failure: .connectionRefused(target: "127.0.0.1:9"),
                timing: ExchangeTiming(total: .milliseconds(2))),
            started: Date(timeIntervalSince1970: 0), suite: "s", testCase: "c")
        let document = try #require(JSONValue.decode(recorder.document()))
        guard case .object(let root) = document, case .object(let log)? = root["log"],
            case .array(let entries)? = log["entries"], case .object(let entry)? = entries.first
        else { throw Failure("no entry") }
        #expect(entries.count == 1)
        #expect(entry["_error"] == .string("connection refused by 127.0.0.1:9"))
        guard case .object(let response)? = entry["response"] else { throw Failure("no response object") }
        #expect(response["status"] == .number(0))
        #expect(entry["_conform"] == .object(["suite": .string("s"), "case": .string("c")]))
    }

    /// A body over the limit is cut at a character's start and ends in "…", so that the masker sees a cut
    /// secret's start as one.
    @Test func aBodyOverTheLimitIsCutWithAnEllipsis() throws {
        let recorder = HARRecorder()
        let request = TransportTest.request(URL(string: "http://127.0.0.1:9/token")!)
        let ascii = Data(repeating: UInt8(ascii: "a"), count: HARRecorder.bodyLimit + 1000)
        // "é" is two bytes, the first of them the last byte kept: the cut goes before it.
        let straddling = Data(repeating: UInt8(ascii: "b"), count: HARRecorder.bodyLimit - 1) + Data("é tail".utf8)
        for (second, body) in [ascii, straddling].enumerated() {
            recorder.record(
                Exchange(
                    request: request,
                    response: HTTPResponseSnapshot(
                        status: 200, reason: "OK", headers: [("Content-Type", "text/plain")], body: body),
                    failure: nil, timing: ExchangeTiming(total: .milliseconds(1))),
                started: Date(timeIntervalSince1970: Double(second)), suite: "s", testCase: "c")
        }
        let document = try #require(JSONValue.decode(recorder.document()))
        guard case .object(let root) = document, case .object(let log)? = root["log"],
            case .array(let entries)? = log["entries"]
        else { throw Failure("no entries") }
        let texts = entries.map { entry -> String? in
            guard case .object(let fields) = entry, case .object(let response)? = fields["response"],
                case .object(let content)? = response["content"], case .string(let text)? = content["text"]
            else { return nil }
            return text
        }
        #expect(texts.count == 2)
        #expect(texts.first == String(repeating: "a", count: HARRecorder.bodyLimit) + "…")
        #expect(texts.last == String(repeating: "b", count: HARRecorder.bodyLimit - 1) + "…")
    }

    /// Entries wait in a temporary file and the archive is written one entry at a time, each masked alone:
    /// byte for byte what encoding the whole archive at once and masking it gives (the encoder's layout, an
    /// empty object's empty line, the comment on entries left out), in the order the exchanges started.
    @Test func theArchiveWrittenEntryByEntryIsTheWholeArchiveMasked() throws {
        let folder = TestPaths.temporaryDirectory()
        let secret = "s3cr3t-token-0123456789"
        let recorder = HARRecorder(spillFolder: folder.path, entryLimit: 3)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let empty = recorder.document()
        #expect(
            String(decoding: empty, as: UTF8.self)
                == String(decoding: try encoder.encode(try #require(JSONValue.decode(empty))), as: UTF8.self))
        let request = TransportTest.request(
            URL(string: "http://127.0.0.1:9/token?code=\(secret)")!, method: "POST", body: "secret=\(secret)")
        let body = Data(#"{"access_token":"\#(secret)","path":"/a/b"}"#.utf8)
        // Started at 3, 1, 1, 2 (seconds): the fourth is left out; the two at 1 keep the order they came in.
        for (index, second) in [3.0, 1, 1, 2].enumerated() {
            recorder.record(
                Exchange(
                    request: request,
                    response: index == 1
                        ? nil
                        : HTTPResponseSnapshot(
                            status: 200, reason: "OK", headers: [("Content-Type", "application/json")], body: body),
                    failure: index == 1 ? .connectionRefused(target: "127.0.0.1:9") : nil,
                    timing: ExchangeTiming(total: .milliseconds(1))),
                started: Date(timeIntervalSince1970: second), suite: "s", testCase: "case \(index)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [])
        let document = recorder.document()
        let whole = try #require(JSONValue.decode(document))
        #expect(String(decoding: document, as: UTF8.self) == String(decoding: try encoder.encode(whole), as: UTF8.self))
        guard case .object(let root) = whole, case .object(let log)? = root["log"],
            case .array(let entries)? = log["entries"]
        else { throw Failure("no entries") }
        #expect(log["comment"] == .string("1 more exchanges were left out: conform keeps the first 3"))
        #expect(
            entries.map { entry -> JSONValue? in
                guard case .object(let fields) = entry, case .object(let conform)? = fields["_conform"] else {
                    return nil
                }
                return conform["case"]
            } == [.string("case 1"), .string("case 2"), .string("case 0")])
        let boundary = OutputBoundary(
            secrets: SecretStore([secret]), output: BufferedOutput(), errors: BufferedOutput())
        let path = folder.appendingPathComponent("run.har").path
        try boundary.writeReport(to: path, as: .json, recorder.write)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written == boundary.masked(String(decoding: document, as: UTF8.self), as: .json))
        #expect(!written.contains(secret))
        #expect(written.contains(#""text" : "{\"access_token\":\"***\",\"path\":\"/a/b\"}""#))
    }

    /// HAR 1.2: `connect` is the whole set-up of the connection, the TLS handshake included, and `ssl` the
    /// handshake alone; the phases still add up to the entry's time.
    @Test func connectIncludesTheTLSHandshake() {
        var timing = ExchangeTiming(total: .milliseconds(12))
        timing.connection = .new
        timing.queue = .milliseconds(1)
        timing.dns = .milliseconds(0.5)
        timing.connect = .milliseconds(2)
        timing.tls = .milliseconds(3)
        timing.send = .milliseconds(0.5)
        timing.wait = .milliseconds(4)
        timing.download = .milliseconds(1)
        let timings = HARRecorder.timings(timing)
        #expect(timings["connect"] == .number(5))
        #expect(timings["ssl"] == .number(3))
        #expect(timings["dns"] == .number(0.5))
        let phases = ["blocked", "dns", "connect", "send", "wait", "receive"].map { name -> Double in
            if case .number(let value)? = timings[name] { return value } else { return .nan }
        }
        #expect(phases == [1, 0.5, 5, 0.5, 4, 1])
        #expect(phases.reduce(0, +) == 12)
    }

    @Test func aReusedConnectionHasNoSetUpPhases() {
        var timing = ExchangeTiming(total: .milliseconds(3))
        timing.connection = .reused
        timing.queue = .milliseconds(1)
        timing.send = .milliseconds(1)
        timing.wait = .milliseconds(1)
        let timings = HARRecorder.timings(timing)
        #expect(timings["dns"] == .number(-1))
        #expect(timings["connect"] == .number(-1))
        #expect(timings["ssl"] == .number(-1))
        #expect(timings["blocked"] == .number(1))
        #expect(timings["receive"] == .number(0))
    }
}
