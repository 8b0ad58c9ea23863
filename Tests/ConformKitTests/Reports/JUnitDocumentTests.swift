import CLibXML2
import Foundation
import Testing

@testable import ConformKit

/// `conform merge`'s model: shards of one suite add up, and a report is read as warily as a response.
@Suite struct JUnitDocumentTests {
    private static func suite(
        _ name: String, time: Double, timestamp: String, cases: [(String, Double)]
    )
        -> JUnitDocument.TestSuite
    {
        JUnitDocument.TestSuite(
            name: name, timestamp: timestamp, hostname: "ci", time: time, properties: [],
            testCases: cases.map { JUnitDocument.TestCase(name: $0.0, classname: name, time: $0.1, result: nil) },
            systemOut: "", systemErr: "")
    }

    /// The shards of a suite ran one after another on different machines: the merged suite took the sum of
    /// their times, not the longest, and started with the first.
    @Test func shardsOfASuiteAddTheirTimes() {
        let merged = JUnitDocument.merged([
            JUnitDocument(suites: [
                Self.suite("pitchpoint", time: 1.5, timestamp: "2026-11-21T10:00:05", cases: [("a", 1.5)]),
                Self.suite("concur", time: 0.25, timestamp: "2026-11-21T10:00:05", cases: [("c", 0.25)]),
            ]),
            JUnitDocument(suites: [
                Self.suite(
                    "pitchpoint", time: 2.25, timestamp: "2026-11-21T10:00:01", cases: [("b", 2.0), ("d", 0.25)])
            ]),
            JUnitDocument(suites: [Self.suite("pitchpoint", time: 0.125, timestamp: "2026-11-21T10:00:09", cases: [])]),
        ])
        #expect(merged.suites.map(\.name) == ["pitchpoint", "concur"])
        #expect(merged.suites.map(\.time) == [3.875, 0.25])
        #expect(merged.suites[0].timestamp == "2026-11-21T10:00:01")
        #expect(merged.suites[0].testCases.map(\.name) == ["a", "b", "d"])
    }

    /// The merge reader goes through the same libxml2 guard as a response: the parser stops at a DOCTYPE,
    /// so that libxml2 builds nothing after it (no entity, no element), and the report is refused.
    @Test func aReportWithADoctypeIsRefusedBeforeItsElementsAreBuilt() {
        let report = """
            <?xml version="1.0"?>
            <!DOCTYPE testsuites [ <!ENTITY name "declared"> <!ELEMENT testsuites ANY> ]>
            <testsuites><testsuite name="&name;" tests="1"><testcase name="a"/></testsuite></testsuites>
            """
        var thrown: JUnitReadError?
        let created = CreatedNodes.recording {
            do {
                _ = try JUnitReader.read(Data(report.utf8), file: "shard.xml")
            } catch let error as JUnitReadError {
                thrown = error
            } catch {
                Issue.record("not a JUnitReadError: \(error)")
            }
        }
        #expect(thrown?.description == "shard.xml: error: document type declarations are not accepted")
        #expect(created == [XML_DOCUMENT_NODE.rawValue, XML_DTD_NODE.rawValue], "libxml2 built \(created)")
    }
}
