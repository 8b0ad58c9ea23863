@testable import ConformKit
@testable import conform

extension OutputBoundary {
    /// A boundary whose diagnostics the command line's printer writes to `errors`, as the binary's do to
    /// standard error.
    convenience init(
        secrets: SecretStore = SecretStore(), output: any TextOutput, errors: any TextOutput,
        environment: [String: String] = [:]
    ) {
        self.init(
            secrets: secrets, output: output, errors: errors, diagnostics: DiagnosticPrinter(output: errors),
            environment: environment)
    }
}
