import ConformJSON
import Foundation

/// The two ways to write a suite file, told apart by the file's extension: `.yaml`/`.yml` is YAML, anything
/// else is JSON (as before YAML was accepted). Both are read into the same located ``JSONNode`` tree.
enum SuiteFileFormat: Sendable, Equatable {
    case json
    case yaml

    static let yamlExtensions = ["yaml", "yml"]

    init(path: String) {
        let pathExtension = URL(fileURLWithPath: path).pathExtension.lowercased()
        self = Self.yamlExtensions.contains(pathExtension) ? .yaml : .json
    }

    /// "JSON" or "YAML", as in "invalid YAML: …".
    var name: String { self == .yaml ? "YAML" : "JSON" }

    /// Reads the text of a suite file into located nodes.
    func parse(_ bytes: [UInt8]) throws(JSONNodeParser.SyntaxError) -> JSONNode {
        switch self {
        case .json: return try JSONNodeParser.parse(bytes)
        case .yaml: return try YAMLNodeReader.parse(bytes)
        }
    }

    /// The file's name without `.json`, `.yaml` or `.yml`: the default name of its reports.
    static func baseName(of path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let last = url.lastPathComponent
        guard (["json"] + yamlExtensions).contains(url.pathExtension.lowercased()) else { return last }
        return url.deletingPathExtension().lastPathComponent
    }
}
