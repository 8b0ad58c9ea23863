import Foundation
import NIOConcurrencyHelpers

/// Where console text goes: standard output or error, or a buffer in tests.
package protocol TextOutput: Sendable {
    func write(_ text: String)
    /// `true` when the output is a terminal (colour is allowed).
    var isTerminal: Bool { get }
    /// How many columns the terminal has, when it says (`TIOCGWINSZ`).
    var columns: Int? { get }
}

extension TextOutput {
    var columns: Int? { nil }
}

/// Collects text in memory, for tests.
final class BufferedOutput: TextOutput {
    private let buffer = NIOLockedValueBox("")

    let isTerminal: Bool
    let columns: Int?

    /// A buffer; `terminal` makes it stand for a terminal `columns` wide (`nil`: one that does not say).
    init(terminal: Bool = false, columns: Int? = nil) {
        self.isTerminal = terminal
        self.columns = columns
    }

    func write(_ text: String) { buffer.withLockedValue { $0 += text } }
    var text: String { buffer.withLockedValue { $0 } }
}
