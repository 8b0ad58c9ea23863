import Foundation
import Testing

@testable import ConformKit

/// Reports on a full file system: the write fails with the system's reason, exit status 2, and the
/// temporary file it was going into is removed, so that a full folder does not fill further on every run.
@Suite(.temporaryDirectories) struct FullFileSystemTests {
    @Test func aReportThatDoesNotFitLeavesNoTemporaryFileBehind() throws {
        let disk = try SmallFileSystem.mount(in: TestPaths.temporaryDirectory())
        defer { disk.unmount() }
        let path = disk.path + "/r.html"
        var reason: String?
        do {
            try ReportFile.write(Data(repeating: UInt8(ascii: "a"), count: 256 << 10), to: path)
        } catch {
            reason = error.description
        }
        #expect(reason == "cannot write the report \(path): No space left on device")
        #expect(try disk.names() == [])
    }

    /// Every report of a run on a file system that is already full (a HAR too, whose entries are kept in a
    /// temporary file of their own while the run goes on), run twice: nothing is left behind either time.
    @Test func aRunOnAFullFileSystemExitsTwoAndLeavesNothingBehind() async throws {
        let disk = try SmallFileSystem.mount(in: TestPaths.temporaryDirectory())
        defer { disk.unmount() }
        try disk.fill()
        for _ in 0..<2 {
            let outcome = await runConform([TestPaths.suite("concur.json")]) {
                $0.junitPath = disk.path + "/r.xml"
                $0.htmlReportPath = disk.path + "/r.html"
                $0.harPath = disk.path + "/r.har"
            }
            #expect(outcome.status == .invalid)
            #expect(
                outcome.stderr.hasSuffix(
                    """
                    conform: error: cannot write the report \(disk.path)/r.xml: No space left on device
                    conform: error: cannot write the report \(disk.path)/r.html: No space left on device
                    conform: error: cannot write the report \(disk.path)/r.har: No space left on device

                    """), "\(outcome.stderr)")
            #expect(try disk.names() == ["filler"])
        }
    }
}
