import Foundation
import Testing

@testable import ConformKit

/// `--repeat` and cases that send a secret: the embedded mock repeats everything it cannot be harmed by; a
/// live target gets the suite's `repeat_safe` declarations; `--repeat-secrets` repeats anyway, with one
/// warning in every output.
@Suite(.temporaryDirectories) struct RepetitionEndToEndTests {
    static let unsafeConcurCases = ["wrong client secret is refused", "unknown client id is refused"]

    /// The samples line of each case: name → samples taken.
    static func samples(in console: String) -> [String: Int] {
        var samples: [String: Int] = [:]
        for line in console.split(separator: "\n") where line.hasPrefix("  PASS  ") || line.hasPrefix("  FAIL  ") {
            let text = line.dropFirst(8)
            guard let open = text.range(of: " (", options: .backwards) else { continue }
            let name = String(text[..<open.lowerBound])
            let count = text.firstMatch(of: /, (\d+) samples/).map { Int($0.output.1) ?? 0 } ?? 1
            samples[name] = count
        }
        return samples
    }

    @Test func theEmbeddedConcurMockRepeatsEveryCase() async {
        let outcome = await runConform([TestPaths.suite("concur.json")]) { $0.repeatCount = 5 }
        #expect(outcome.status == .passed)
        #expect(Self.samples(in: outcome.stdout).count == 6)
        #expect(Self.samples(in: outcome.stdout).values.allSatisfy { $0 == 5 })
        #expect(!outcome.stdout.contains("note [repeat]"))
        #expect(!outcome.stdout.contains("warning [repeat]"))
    }

    /// A live target: the cases the suite does not declare repeat_safe are sent once, with the note.
    @Test func aLiveTargetRepeatsOnlyRepeatSafeCases() async throws {
        let (outcome, mock) = try await StartedMock.live("concur", [TestPaths.suite("concur.json")]) {
            $0.repeatCount = 5
        }
        #expect(outcome.status == .passed)
        let samples = Self.samples(in: outcome.stdout)
        #expect(samples.count == 6)
        for (name, count) in samples {
            #expect(count == (Self.unsafeConcurCases.contains(name) ? 1 : 5), "\(name)")
        }
        #expect(mock.recorder.requestCount == 4 * 5 + 2)
        #expect(
            outcome.stdout.components(separatedBy: "\n").filter { $0.contains("note [repeat]") } == [
                #"        note [repeat]: sent once, not 5 times: it sends the secret ${refresh_token} and is not declared "repeat_safe"; a server that rotates tokens would revoke it"#,
                #"        note [repeat]: sent once, not 5 times: it sends the secret ${refresh_token}, ${client_secret} and is not declared "repeat_safe"; a server that rotates tokens would revoke it"#,
            ])
    }

    /// The OAuth 2.0 mock rotates refresh tokens: against it the refresh cases keep the note, and the run
    /// passes instead of revoking its own tokens.
    @Test func aMockThatRotatesTokensRepeatsOnlyRepeatSafeCases() async {
        let outcome = await runConform([TestPaths.suite("oauth2.json")]) { $0.repeatCount = 3 }
        #expect(outcome.status == .passed)
        let samples = Self.samples(in: outcome.stdout)
        #expect(samples["refresh with the refresh token"] == 1)
        #expect(samples["client credentials grant"] == 3)
        #expect(samples["reuse detection revoked the latest refresh token"] == 1)
        #expect(outcome.stdout.components(separatedBy: "note [repeat]").count - 1 == 5)
    }

    @Test func repeatSecretsRepeatsEveryCaseWithOneWarningInEveryOutput() async throws {
        let folder = TestPaths.temporaryDirectory()
        let html = folder.appendingPathComponent("report.html").path
        let (outcome, mock) = try await StartedMock.live("concur", [TestPaths.suite("concur.json")]) {
            $0.repeatCount = 5
            $0.repeatSecrets = true
            $0.format = .json
            $0.htmlReportPath = html
        }
        #expect(outcome.status == .passed)
        #expect(mock.recorder.requestCount == 6 * 5)
        #expect(Self.samples(in: outcome.stderr).count == 6)
        #expect(Self.samples(in: outcome.stderr).values.allSatisfy { $0 == 5 })
        let warning =
            #"--repeat-secrets: 2 cases that send a secret and are not declared "repeat_safe" are repeated anyway: 'wrong client secret is refused', 'unknown client id is refused'; a server that rotates tokens would revoke what they send"#
        #expect(
            outcome.stderr.components(separatedBy: "\n").filter { $0.contains("[repeat]") } == [
                "  warning [repeat]: \(warning)"
            ])
        #expect(
            outcome.reportText.contains(
                "<property name=\"conform.warning.1\" value=\"repeat: \(XMLText.escaped(warning))\"/>"))
        #expect(!outcome.reportText.contains("conform.warning.2"))
        #expect(JUnitSchemas.problems(outcome.report) == [])
        let results = try JSONDecoder.snakeCase.decode(JSONResults.self, from: Data(outcome.stdout.utf8))
        #expect(
            results.suites.first?.warnings == [
                JSONResults.FindingEntry(severity: "warning", check: "repeat", label: "repeat", message: warning)
            ])
        #expect(results.suites.first?.counts.warnings == 1)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(HTMLPages.problem(page) == nil)
        #expect(page.components(separatedBy: "<span class=\"message\">\(XMLText.escaped(warning))</span>").count == 2)
    }

    /// Nothing to take responsibility for: no warning.
    @Test func repeatSecretsWithoutRepeatsSaysNothing() async throws {
        let (outcome, _) = try await StartedMock.live("concur", [TestPaths.suite("concur.json")]) {
            $0.repeatSecrets = true
        }
        #expect(outcome.status == .passed)
        #expect(!outcome.stdout.contains("[repeat]"))
        #expect(!outcome.reportText.contains("conform.warning"))
    }
}
