import Foundation
import NIOConcurrencyHelpers
import Testing

/// The rules of `assertSnapshot` and `normalized`: a golden file is rewritten only with
/// `RECORD_SNAPSHOTS=1`, a recording that changes it still fails, and nothing that can go wrong passes.
@Suite(.temporaryDirectories) struct SnapshotTests {
    private static func folder(with text: String?) throws -> URL {
        let folder = TestPaths.temporaryDirectory()
        if let text { try Data(text.utf8).write(to: folder.appendingPathComponent("golden.txt")) }
        return folder
    }

    private static func contents(_ folder: URL) -> String? {
        try? String(contentsOf: folder.appendingPathComponent("golden.txt"), encoding: .utf8)
    }

    @Test func theSameTextPasses() throws {
        assertSnapshot("same\n", named: "golden", in: try Self.folder(with: "same\n"), environment: [:])
    }

    @Test func aDifferentTextFailsAndRewritesNothing() throws {
        let folder = try Self.folder(with: "expected\n")
        withKnownIssue { assertSnapshot("actual\n", named: "golden", in: folder, environment: [:]) }
        #expect(Self.contents(folder) == "expected\n")
    }

    @Test func aMissingSnapshotFails() throws {
        let folder = try Self.folder(with: nil)
        withKnownIssue { assertSnapshot("text\n", named: "golden", in: folder, environment: [:]) }
        #expect(Self.contents(folder) == nil)
    }

    /// `RECORD_SNAPSHOTS=0` (or any value but 1) records nothing: it is an issue, and the text is compared.
    @Test(arguments: ["0", "", "true", "yes"])
    func anyOtherValueRecordsNothing(value: String) throws {
        let folder = try Self.folder(with: "expected\n")
        withKnownIssue {
            assertSnapshot("expected\n", named: "golden", in: folder, environment: ["RECORD_SNAPSHOTS": value])
        }
        withKnownIssue {
            assertSnapshot("actual\n", named: "golden", in: folder, environment: ["RECORD_SNAPSHOTS": value])
        }
        #expect(Self.contents(folder) == "expected\n")
    }

    @Test func recordingAChangeWritesItAndStillFails() throws {
        let folder = try Self.folder(with: "old\n")
        withKnownIssue {
            assertSnapshot("new\n", named: "golden", in: folder, environment: ["RECORD_SNAPSHOTS": "1"])
        }
        #expect(Self.contents(folder) == "new\n")
        // Recording what is already there passes.
        assertSnapshot("new\n", named: "golden", in: folder, environment: ["RECORD_SNAPSHOTS": "1"])
    }

    @Test func aFailedWriteFails() throws {
        let missing = TestPaths.temporaryDirectory().appendingPathComponent("no/such/folder")
        withKnownIssue {
            assertSnapshot("new\n", named: "golden", in: missing, environment: ["RECORD_SNAPSHOTS": "1"])
        }
        #expect(!FileManager.default.fileExists(atPath: missing.path))
    }

    @Test func normalisingKeepsCountsAndSizesAndReplacesWhatVaries() {
        let text = """
            pitchpoint (\(TestPaths.packageRoot.path)/suites/pitchpoint.json, embedded mock at http://127.0.0.1:40123)
              PASS  refresh (200, 3.1 ms, 20 samples, 512 bytes, 1234/s)
            <property name="refresh.latency.samples" value="20"/>
            <property name="refresh.latency.p95_ms" value="4.25"/>
            <property name="refresh.connect_ms" value="0.40"/>
            <property name="refresh.connection" value="1 new, 19 reused"/>
            <testsuite timestamp="2026-11-25T10:00:00" hostname="ci-7" time="0.123">
            """
        #expect(
            normalized(text) == """
                pitchpoint (ROOT/suites/pitchpoint.json, embedded mock at http://127.0.0.1:PORT)
                  PASS  refresh (200, N ms, 20 samples, 512 bytes, N/s)
                <property name="refresh.latency.samples" value="20"/>
                <property name="refresh.latency.p95_ms" value="N"/>
                <property name="refresh.connection" value="CONNECTION"/>
                <testsuite timestamp="TIMESTAMP" hostname="HOST" time="T">
                """)
    }
}

/// A test's temporary folders go when it ends, and making one outside such a test is an issue. This suite
/// has no `.temporaryDirectories` trait: it opens the scope itself.
@Suite struct TemporaryDirectoriesTests {
    @Test func theFolderIsRemovedWhenTheTestEnds() async throws {
        let test = try #require(Test.current)
        let made = NIOLockedValueBox<[URL]>([])
        try await TemporaryDirectories().provideScope(for: test, testCase: Test.Case.current) {
            let folder = TestPaths.temporaryDirectory()
            try Data("x".utf8).write(to: folder.appendingPathComponent("file.txt"))
            let scope = try #require(TemporaryDirectories.current)
            made.withLockedValue { $0 = [folder, scope] }
        }
        let folders = made.withLockedValue { $0 }
        #expect(folders.count == 2)
        for folder in folders { #expect(!FileManager.default.fileExists(atPath: folder.path), "\(folder.path)") }
        #expect(folders.last?.lastPathComponent.hasPrefix("conform-tests-") == true)
    }

    @Test func aFolderOutsideAScopeIsAnIssue() throws {
        var leaked: URL?
        withKnownIssue { leaked = TestPaths.temporaryDirectory() }
        if let leaked { try FileManager.default.removeItem(at: leaked) }
        #expect(leaked != nil)
    }
}
