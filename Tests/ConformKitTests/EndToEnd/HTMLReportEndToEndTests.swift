import Foundation
import Testing

@testable import ConformKit

/// The HTML report of real runs: one cause said once, passing cases collapsed, single samples unchartered.
@Suite(.temporaryDirectories) struct HTMLReportEndToEndTests {
    static func page(
        _ arguments: (inout RunOptions) -> Void, environment: [String: String] = [:]
    ) async throws
        -> (RunOutcome, String)
    {
        let html = TestPaths.temporaryDirectory().appendingPathComponent("report.html").path
        let outcome = await runConform(
            [TestPaths.suite("pitchpoint.json")],
            arguments: {
                $0.htmlReportPath = html
                arguments(&$0)
            }, environment: environment)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(HTMLPages.problem(page) == nil)
        #expect(JUnitSchemas.problems(outcome.report) == [])
        return (outcome, page)
    }

    /// The endpoint is down: the suite says so once instead of eight times.
    @Test func anEndpointThatIsDownIsSaidOnce() async throws {
        let closed = try await MockServer.start(
            FixedEndpoint(response: .closeWithoutResponse), configuration: MockConfiguration())
        await closed.stop()
        let target = "127.0.0.1:\(closed.port)"
        let (outcome, page) = try await Self.page(
            { $0.baseURL = "http://\(target)" },
            environment: [
                "PITCHPOINT_REFRESH_TOKEN": "t0ken-down", "PITCHPOINT_USERNAME": "u", "PITCHPOINT_PASSWORD": "pw-down",
            ])
        #expect(outcome.status == .failed)
        #expect(
            page.components(
                separatedBy:
                    "<p class=\"common-cause\">8 of 10 cases failed for one cause: connection refused by \(target)</p>"
            ).count == 2)
    }

    @Test func htmlPagesForResponsesAreSaidOnce() async throws {
        let (_, page) = try await Self.page { $0.mockDeviation = "html-500" }
        #expect(
            page.contains(
                "<p class=\"common-cause\">8 of 10 cases failed for one cause: every response was an HTML page (text/html; charset=utf-8)</p>"
            ))
    }

    /// A passing run: no cause, every case collapsed, and no chart: each request case was sent once, and the
    /// comparison keeps no samples of its own.
    @Test func aPassingRunIsCollapsedAndHasNoSingleSampleCharts() async throws {
        let (outcome, page) = try await Self.page { _ in }
        #expect(outcome.status == .passed, "\(outcome.stdout)")
        #expect(!page.contains("class=\"common-cause\""))
        #expect(!page.contains("<details open"))
        #expect(page.components(separatedBy: "<section class=\"case passed\"").count - 1 == 10)
        #expect(!page.contains("<svg "))
    }
}
