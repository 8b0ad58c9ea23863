@testable import ConformRegex
@testable import ConformJSON
@testable import ConformHTTP
import Foundation
import Testing

/// `Tests/layers-check.sh` keeps Package.swift's layers true: it passes on the package as it is, and it
/// names each upward import, each same-layer dependency and each libxml2 import outside its quarantine in a
/// copy of the package where one was planted.
@Suite(.temporaryDirectories) struct LayersCheckTests {
    static var script: String { TestPaths.packageRoot.appendingPathComponent("Tests/layers-check.sh").path }

    private func check(_ root: URL) async throws -> ConformBinary.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Self.script, root.path]
        process.environment = ["PATH": "/usr/bin:/bin"]
        let (output, errors) = (Pipe(), Pipe())
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        return await ConformBinary.collect(process, output: output, errors: errors)
    }

    /// A copy of the package's manifest and sources, for planting violations.
    private func copyOfPackage() throws -> URL {
        let copy = TestPaths.temporaryDirectory()
        let files = FileManager.default
        for item in ["Package.swift", "Sources", "fuzz/Sources"] {
            let destination = copy.appendingPathComponent(item)
            try files.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            try files.copyItem(at: TestPaths.packageRoot.appendingPathComponent(item), to: destination)
        }
        return copy
    }

    private func prepend(_ line: String, to file: String, in root: URL) throws {
        let url = root.appendingPathComponent(file)
        let text = try String(contentsOf: url, encoding: .utf8)
        try (line + "\n" + text).write(to: url, atomically: true, encoding: .utf8)
    }

    @Test func thePackageImportsOnlyDownwards() async throws {
        let result = try await check(TestPaths.packageRoot)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "")
        #expect(result.stdout.hasPrefix("layers-check: "))
        #expect(result.stdout.hasSuffix(" folders, every one downwards\n"))
    }

    @Test func upwardImportsSameLayerDependenciesAndLibXMLOutsideItsQuarantineFail() async throws {
        let root = try copyOfPackage()
        try prepend("import ConformKit", to: "Sources/ConformRegex/LinearRegex.swift", in: root)
        try prepend("@testable import ConformJSONSchema", to: "Sources/ConformJSON/JSONValue.swift", in: root)
        try prepend("import CLibXML2", to: "Sources/ConformHTTP/Transport.swift", in: root)
        let manifest = root.appendingPathComponent("Package.swift")
        let text = try String(contentsOf: manifest, encoding: .utf8)
        let declared = #".target(name: "ConformRegex", dependencies: ["ConformSupport"]),"#
        #expect(text.contains(declared))
        try text.replacingOccurrences(
            of: declared, with: #".target(name: "ConformRegex", dependencies: ["ConformSupport", "ConformHTTP"]),"#
        ).write(to: manifest, atomically: true, encoding: .utf8)

        let result = try await check(root)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(
            result.stderr.split(separator: "\n").sorted() == [
                "layers-check: 4 violation(s)",
                "layers-check: Package.swift: ConformRegex (layer 1) depends on ConformHTTP (layer 1)",
                "layers-check: Sources/ConformHTTP/Transport.swift:1: only ConformXML imports CLibXML2 (the libxml2 quarantine)",
                "layers-check: Sources/ConformJSON/JSONValue.swift:1: ConformJSON (layer 1) imports ConformJSONSchema (layer 2); a target imports only lower layers",
                "layers-check: Sources/ConformRegex/LinearRegex.swift:1: ConformRegex (layer 1) imports ConformKit (layer 3); a target imports only lower layers",
            ])
    }

    @Test func aTargetWithoutALayerFails() async throws {
        let root = try copyOfPackage()
        let folder = root.appendingPathComponent("Sources/ConformExtra")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "import Foundation\n".write(to: folder.appendingPathComponent("Extra.swift"), atomically: true, encoding: .utf8)

        let result = try await check(root)
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "layers-check: Sources/ConformExtra: target ConformExtra has no layer in Tests/layers-check.sh\n"
                + "layers-check: 1 violation(s)\n")
    }
}
