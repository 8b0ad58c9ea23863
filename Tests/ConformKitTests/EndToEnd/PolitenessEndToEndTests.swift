import Foundation
import Testing

@testable import ConformKit

/// Politeness to live endpoints: `--rate` spaces every request of the run, `--fail-fast` stops at the first
/// failure, and a 429 or 503 with Retry-After is called rate limiting.
///
/// The `--rate` tests measure lower bounds only (how far apart requests arrived, how many fit a time
/// bound), which a busy machine can only make larger: unpaced, every request goes out at once.
@Suite(.temporaryDirectories) struct PolitenessEndToEndTests {
    /// Ten requests a second over the four refusal cases (and the case one of them pulls in for its token):
    /// the slots are one schedule for the run, so the last of N requests arrives at least (N - 1) × 100 ms
    /// after the first, less 50 ms for the first one's own trip.
    @Test func rateSpacesRequestsAcrossCases() async throws {
        let (outcome, mock) = try await StartedMock.live("pitchpoint", [TestPaths.suite("pitchpoint.json")]) {
            $0.requestsPerSecond = 10
            $0.filter = "is refused$"
        }
        #expect(outcome.status == .passed)
        let arrivals = mock.recorder.arrivals
        try #require(arrivals.count == 5, "\(arrivals.count) requests")
        #expect(arrivals[4] - arrivals[0] >= .milliseconds(350), "\(arrivals[4] - arrivals[0])")
    }

    /// Within a case, samples wait for their slots too, and a slot past the case's budget ends sampling.
    @Test func rateSpacesTheSamplesOfACase() async throws {
        let outcome = await runConform([TestPaths.suite("pitchpoint.json")]) {
            $0.filter = "^refresh with valid token$"
            $0.repeatCount = 20
            $0.requestsPerSecond = 4
            $0.maxCaseTimeSeconds = 1
        }
        #expect(outcome.status == .passed)
        let match = try #require(
            outcome.stdout.firstMatch(
                of:
                    /warning \[samples\]: stopped after (\d+) of 20 samples: the case's time budget of 1 s ran out \(--max-case-time\)/
            ))
        #expect((1...5).contains(Int(match.output.1) ?? 0), "\(match.output.1) samples")
    }

    @Test func aRateIsANumberAboveZero() async throws {
        for (rate, shown) in [(0.0, "0"), (-1, "-1"), (.nan, "nan"), (1e9, "1000000000")] {
            let outcome = await runConform([TestPaths.suite("pitchpoint.json")]) { $0.requestsPerSecond = rate }
            #expect(outcome.status == .invalid)
            #expect(
                outcome.stderr
                    == "conform: error: --rate must be a number of requests per second above 0 and at most 100000, got \(shown)\n"
            )
        }
    }

    /// The first failure skips the rest of the run, the next suite too; reports are written; exit 1.
    @Test func failFastSkipsEverythingAfterTheFirstFailure() async throws {
        let html = TestPaths.temporaryDirectory().appendingPathComponent("r.html").path
        let outcome = await runConform([TestPaths.suite("pitchpoint.json"), TestPaths.suite("concur.json")]) {
            $0.mockDeviation = "html-500"
            $0.failFast = true
            $0.htmlReportPath = html
        }
        #expect(outcome.status == .failed)
        let reason = "not run: --fail-fast after 'refresh with valid token' failed"
        #expect(outcome.stdout.contains("  FAIL  refresh with valid token ("))
        #expect(outcome.stdout.contains("  SKIP  original refresh token still works after a refresh: \(reason)\n"))
        #expect(outcome.stdout.contains("pitchpoint: 10 cases: 0 passed, 1 failed, 0 errors, 9 skipped;"))
        #expect(outcome.stdout.contains("concur: 6 cases: 0 passed, 0 failed, 0 errors, 6 skipped;"))
        #expect(outcome.reportText.components(separatedBy: "<skipped message=\"\(reason)\"></skipped>").count - 1 == 15)
        #expect(JUnitSchemas.problems(outcome.report) == [])
        #expect(HTMLPages.problem(try String(contentsOfFile: html, encoding: .utf8)) == nil)
        // The concur mock is not started for a suite that sends nothing.
        #expect(!outcome.stderr.contains("concur mock"))
        #expect(
            outcome.stderr.hasSuffix(
                "conform: stopped by --fail-fast after 'refresh with valid token' failed; the reports hold what was done\n"
            ))
    }

    @Test func failFastStopsAtAnErrorToo() async throws {
        let outcome = await runConform([TestPaths.suite("pitchpoint.json")]) {
            $0.mockDeviation = "close-without-response"
            $0.failFast = true
        }
        #expect(outcome.status == .failed)
        #expect(
            outcome.stdout.contains(
                "  SKIP  returned refresh token works: not run: --fail-fast after 'refresh with valid token' had an error\n"
            ))
    }

    /// Without --fail-fast every case runs.
    @Test func withoutFailFastEveryCaseRuns() async throws {
        let outcome = await runConform([TestPaths.suite("pitchpoint.json")]) { $0.mockDeviation = "expires-in-string" }
        #expect(outcome.status == .failed)
        #expect(!outcome.stdout.contains("--fail-fast"))
        #expect(outcome.stdout.contains("pitchpoint: 10 cases: 5 passed, 5 failed, 0 errors, 0 skipped; "))
    }

    @Test func a429IsReportedAsRateLimitingWithItsRetryAfter() async throws {
        let endpoint = FixedEndpoint(
            response: .full(
                status: .tooManyRequests, contentType: "application/json", body: Data(#"{"error":"slow_down"}"#.utf8),
                extraHeaders: [("Retry-After", "30")]))
        let server = try await MockServer.start(endpoint, configuration: MockConfiguration())
        let outcome = await runConform(
            [TestPaths.fixtureSuite("pitchpoint-refresh-only.json")],
            arguments: {
                $0.baseURL = server.baseURL.absoluteString
            }, environment: ["PITCHPOINT_REFRESH_TOKEN": "t0ken-for-429"])
        await server.stop()
        #expect(outcome.status == .failed)
        let message = "expected 200, got 429 Too Many Requests: the endpoint is rate-limiting, Retry-After: 30"
        #expect(outcome.stdout.contains("        failure [status]: \(message)\n"))
        #expect(outcome.reportText.contains("<failure type=\"status\" message=\"\(message)"))
        #expect(JUnitSchemas.problems(outcome.report) == [])
    }
}
