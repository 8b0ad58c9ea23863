import ConformXML
import Foundation

/// Reads a JUnit report back into a ``JUnitDocument``, for `conform merge`: conform's own reports, and
/// others in the same Ant/Jenkins shape.
enum JUnitReader {
    static func read(_ data: Data, file: String) throws(JUnitReadError) -> JUnitDocument {
        let root: XMLElementTree
        switch XMLDocumentReader.readTree(data) {
        case .success(let tree): root = tree
        case .failure(let failure): throw JUnitReadError(file: file, line: nil, message: failure.description)
        }
        switch root.name {
        case "testsuites":
            var suites: [JUnitDocument.TestSuite] = []
            for element in root.children(named: "testsuite") { suites.append(try suite(element, file: file)) }
            return JUnitDocument(suites: suites)
        case "testsuite":
            return JUnitDocument(suites: [try suite(root, file: file)])
        default:
            throw JUnitReadError(
                file: file, line: root.line,
                message: "not a JUnit report: the root element is <\(root.name)>, expected <testsuites> or <testsuite>")
        }
    }

    private static func suite(_ element: XMLElementTree, file: String) throws(JUnitReadError) -> JUnitDocument.TestSuite
    {
        guard let name = element.attributes["name"], !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw JUnitReadError(file: file, line: element.line, message: "<testsuite> without a name")
        }
        var testCases: [JUnitDocument.TestCase] = []
        for testCase in element.children(named: "testcase") {
            guard let caseName = testCase.attributes["name"] else {
                throw JUnitReadError(
                    file: file, line: testCase.line, message: "<testcase> without a name in suite '\(name)'")
            }
            let outcome = testCase.children.first { ["failure", "error", "skipped"].contains($0.name) }
            testCases.append(
                JUnitDocument.TestCase(
                    name: caseName, classname: testCase.attributes["classname"] ?? name,
                    time: seconds(testCase.attributes["time"]),
                    result: outcome.flatMap { element in
                        JUnitDocument.Result.Kind(rawValue: element.name).map {
                            JUnitDocument.Result(
                                kind: $0, type: element.attributes["type"] ?? ($0 == .skipped ? nil : element.name),
                                message: element.attributes["message"] ?? "", text: element.text)
                        }
                    }))
        }
        let timestamp = element.attributes["timestamp"].flatMap {
            $0.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/) != nil ? $0 : nil
        }
        let properties = element.children(named: "properties").flatMap { $0.children(named: "property") }.compactMap {
            property in
            property.attributes["name"].map {
                JUnitDocument.Property(name: $0, value: property.attributes["value"] ?? "")
            }
        }
        return JUnitDocument.TestSuite(
            name: name, timestamp: timestamp ?? JUnitWriter.timestamp(Date()),
            hostname: element.attributes["hostname"].flatMap { $0.isEmpty ? nil : $0 } ?? "localhost",
            time: element.attributes["time"].map { seconds($0) } ?? testCases.reduce(0) { $0 + $1.time },
            properties: properties, testCases: testCases,
            systemOut: element.children(named: "system-out").map(\.text).joined(),
            systemErr: element.children(named: "system-err").map(\.text).joined())
    }

    /// Seconds, tolerating Surefire's thousands separators ("1,234.5").
    private static func seconds(_ text: String?) -> Double {
        guard let text else { return 0 }
        return Double(text.replacingOccurrences(of: ",", with: "")) ?? 0
    }
}

/// A report `conform merge` cannot read: exit status 2.
struct JUnitReadError: Error, Sendable, CustomStringConvertible {
    var file: String
    var line: Int?
    var message: String

    var description: String {
        line.map { "\(file):\($0): error: \(message)" } ?? "\(file): error: \(message)"
    }
}
