/// Why a JSON Schema could not be used: every problem found, each with its file and location.
///
///     schemas/token.json:7:9: error: unsupported JSON Schema keyword "$dynamicRef": dynamic references are …
///     schemas/token.json:12:20: error: "minimum" must be a number, got a string
public struct JSONSchemaLoadError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
