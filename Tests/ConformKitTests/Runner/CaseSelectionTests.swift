import Foundation
import Testing

@testable import ConformJSON
@testable import ConformKit

@Suite(.temporaryDirectories) struct CaseSelectionTests {
    static let suites = try! SuiteLoader().load([TestPaths.suite("pitchpoint.json"), TestPaths.suite("concur.json")])

    private func names(_ selected: [CaseSelection.Selected]) -> [[String]] {
        selected.map { $0.cases.map(\.name) }
    }

    @Test func aSelectedCasePullsInWhatItDependsOn() {
        let selected = CaseSelection(filter: "^returned").apply(Self.suites)
        #expect(names(selected) == [["refresh with valid token", "returned refresh token works"], []])
        #expect(selected[0].pulledIn == ["refresh with valid token": "returned refresh token works"])
    }

    @Test func aComparisonPullsInTheCasesItSamples() {
        let selected = CaseSelection(filter: "faster").apply(Self.suites)
        #expect(
            names(selected)[0] == [
                "refresh with valid token", "sign in with username and password", "refresh is faster than sign-in",
            ])
    }

    /// `--filter` runs on case names the suite chose: a name it cannot judge within the pattern's step budget
    /// refuses the run before anything is sent, rather than leaving the case out unsaid.
    @Test func aFilterTooCostlyForACaseNameIsAnError() async throws {
        let name = String(repeating: "a", count: 2_000)
        let suite = TestPaths.writeSuite(
            #"{"format": 1, "name": "s", "mock": "pitchpoint", "cases": [{"name": "\#(name)", "request": {"method": "GET", "path": "/"}, "expect": {"status": 200}}]}"#
        )
        let outcome = await runConform([suite]) { $0.filter = CostlyPatternTests.costly }
        #expect(outcome.status == .invalid)
        #expect(
            outcome.stderr
                == "conform: error: --filter \(JSONValue.quoted(CostlyPatternTests.costly)) on the case name "
                + "\(JSONValue.quoted(name, limit: 60)): pattern too costly for this value (more than 20000000 steps)\n"
        )
    }

    @Test func tagsSelectAndSkip() throws {
        let text = try String(contentsOfFile: TestPaths.suite("pitchpoint.json"), encoding: .utf8)
            .replacingOccurrences(
                of: #""name": "invalid refresh token is refused","#,
                with: #""name": "invalid refresh token is refused", "tags": ["negative"],"#
            )
            .replacingOccurrences(
                of: #""name": "empty refresh token is refused","#,
                with: #""name": "empty refresh token is refused", "tags": ["negative", "slow"],"#)
        let suite = try SuiteLoader().load(TestPaths.writeSuite(text)).get()
        #expect(
            names(CaseSelection(tags: ["negative"]).apply([suite])) == [
                ["invalid refresh token is refused", "empty refresh token is refused"]
            ])
        #expect(
            names(CaseSelection(tags: ["negative"], skipTags: ["slow"]).apply([suite])) == [
                ["invalid refresh token is refused"]
            ])
    }

    /// Every case runs in exactly one shard, chains stay together, and the split is the same every time.
    @Test(arguments: [1, 2, 3, 4, 7])
    func shardsPartitionTheCasesWithoutSplittingChains(count: Int) throws {
        var seen: [String] = []
        for index in 1...count {
            let shard = try #require(CaseSelection.Shard("\(index)/\(count)"))
            let selected = CaseSelection(shard: shard).apply(Self.suites)
            #expect(names(selected) == names(CaseSelection(shard: shard).apply(Self.suites)))
            for (suite, chosen) in zip(Self.suites, selected) {
                seen += chosen.cases.map { "\(suite.name)/\($0.name)" }
                let present = Set(chosen.cases.map(\.name))
                let chain: Set = [
                    "refresh with valid token", "returned refresh token works", "sign in with username and password",
                    "refresh is faster than sign-in",
                ]
                if suite.name == "pitchpoint" {
                    #expect(present.isDisjoint(with: chain) || chain.isSubset(of: present))
                }
            }
        }
        let all = Self.suites.flatMap { suite in suite.cases.map { "\(suite.name)/\($0.name)" } }
        #expect(seen.sorted() == all.sorted())
    }

    @Test func threeShardsAreBalanced() throws {
        let sizes = try (1...3).map { index in
            CaseSelection(shard: try #require(CaseSelection.Shard("\(index)/3"))).apply(Self.suites).reduce(0) {
                $0 + $1.cases.count
            }
        }
        #expect(sizes == [6, 5, 5])
    }

    @Test func shardSyntax() {
        #expect(CaseSelection.Shard("2/3") != nil)
        for text in ["0/3", "4/3", "3", "a/b", "1/0", "1/2/3"] { #expect(CaseSelection.Shard(text) == nil, "\(text)") }
    }
}
