import ConformSupport

/// Why a JSON Schema could not be used: every problem found, each with its file and location.
///
///     schemas/token.json:7:9: error: unsupported JSON Schema keyword "$dynamicRef": dynamic references are …
///     schemas/token.json:12:20: error: "minimum" must be a number, got a string
package struct JSONSchemaLoadError: Error, Sendable, CustomStringConvertible {
    package var diagnostics: [Diagnostic]

    init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    package var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
